package dev.tollgate.webhooks.signature;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** The provider samples on the test classpath ({@code test-fixtures/provider-samples} in the repository). */
final class SharedFixtures {

    private SharedFixtures() {
    }

    static Path providerSamples() {
        URL dir = SharedFixtures.class.getResource("/provider-samples");
        if (dir == null) {
            throw new IllegalStateException("no provider-samples folder on the test classpath");
        }
        try {
            return Path.of(dir.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path providerSample(String name) {
        Path file = providerSamples().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no provider sample " + file);
        }
        return file;
    }
}
