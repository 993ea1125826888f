package dev.tollgate.webhooks.signature;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The provider samples in {@code ${tollgate.shared.dir}/fixtures/provider-samples}; tests skip when absent. */
final class SharedFixtures {

    private SharedFixtures() {
    }

    static Path providerSamples() {
        String shared = System.getProperty("tollgate.shared.dir");
        assumeTrue(shared != null && !shared.isBlank(), "system property tollgate.shared.dir is not set");
        Path dir = Path.of(shared, "fixtures", "provider-samples");
        assumeTrue(Files.isDirectory(dir), "no provider samples at " + dir);
        return dir;
    }

    static Path providerSample(String name) {
        Path file = providerSamples().resolve(name);
        assumeTrue(Files.isRegularFile(file), "no provider sample " + file);
        return file;
    }
}
