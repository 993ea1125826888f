package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Shared test values and the providers' sample payloads (test resources from {@code test-fixtures/provider-samples}). */
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

    /** Reads a provider sample from the test classpath; a missing one fails the test. */
    static JsonNode providerSample(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/provider-samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no provider sample " + name + " on the test classpath");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
