package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;

/** Shared test values and the providers' published samples (skipped when the shared folder is absent). */
final class Fixtures {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String STRIPE_SECRET = "whsec_testkit_0123456789abcdefghij";
    static final String REVENUECAT_TOKEN = "rc_testkit_bearer_0123456789";
    static final String STANDARD_SECRET = "whsec_dGVzdGtpdC1zdGFuZGFyZC13ZWJob29rcy1rZXk=";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static JsonNode json(EventPayload event) {
        return json(event.body());
    }

    static JsonNode json(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a sample from the shared provider-samples folder, or skips the test when it is not there. */
    static JsonNode providerSample(String name) {
        String dir = System.getProperty("tollgate.shared.dir");
        Assumptions.assumeTrue(dir != null, "system property tollgate.shared.dir is not set");
        Path file = Path.of(dir, "fixtures", "provider-samples", name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "no provider sample " + file);
        try {
            return MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
