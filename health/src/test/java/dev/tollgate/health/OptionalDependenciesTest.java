package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Health does not use Micrometer or Sentry at all (their adapters are the modules tollgate-micrometer and
 * tollgate-sentry), and the other Tollgate modules are optional: only their adapter packages (and the command line,
 * which documents that it needs them) may import them, so the core of health works without them.
 */
class OptionalDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/dev/tollgate/health");
    /** A sibling module's source that does import Micrometer, to prove the scan sees such imports. */
    private static final Path MICROMETER_MAIN = Path.of("../micrometer/src/main/java/dev/tollgate/health");

    @Test
    void onlyTheAdapterPackagesImportOptionalLibraries() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the module directory: " + MAIN.toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(OptionalDependenciesTest::importsOptional)
                    .map(p -> MAIN.relativize(p).toString())
                    .toList();
        }
        assertEquals(List.of(), offenders);
        assertTrue(importsOptional(MICROMETER_MAIN.resolve("micrometer/MicrometerHealthObserver.java")),
                "the scan sees imports");
    }

    @Test
    void onlyModuleAdaptersImportTheOtherTollgateModules() throws IOException {
        List<Path> allowed = List.of(MAIN.resolve("preflight/modules"), MAIN.resolve("contributors/billing"),
                MAIN.resolve("preflight/PreflightCommand.java"));
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> allowed.stream().noneMatch(p::startsWith))
                    .filter(OptionalDependenciesTest::importsModule)
                    .map(p -> MAIN.relativize(p).toString())
                    .toList();
        }
        assertEquals(List.of(), offenders);
        assertTrue(importsModule(MAIN.resolve("preflight/modules/ModulePreflightSteps.java")), "the scan sees imports");
    }

    private static boolean importsModule(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("import dev.tollgate.webhooks.")
                    || l.startsWith("import dev.tollgate.billing.") || l.startsWith("import dev.tollgate.consent.")
                    || l.startsWith("import dev.tollgate.legal."));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean importsOptional(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .anyMatch(l -> l.startsWith("import io.micrometer.") || l.startsWith("import io.sentry."));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
