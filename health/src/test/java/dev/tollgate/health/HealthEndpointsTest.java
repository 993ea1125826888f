package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthyServiceAnswersTheRunbookShapes() throws Exception {
        try (HealthRegistry registry = HealthRegistry.builder().register("database", Health::up).build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.4.2").build();

            HealthResponse health = endpoints.handle("/health");
            assertEquals(200, health.statusCode());
            assertEquals("application/json", health.contentType());
            assertEquals("{\"status\":\"healthy\",\"version\":\"1.4.2\",\"database\":\"connected\"}", health.bodyText());

            HealthResponse ready = endpoints.handle("/health/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("{\"ready\":true}", ready.bodyText());

            HealthResponse live = endpoints.handle("/health/live/");
            assertEquals(200, live.statusCode());
            assertEquals("{\"live\":true}", live.bodyText());

            assertEquals(200, endpoints.handle("/health?verbose=1").statusCode());
            HealthResponse missing = endpoints.handle("/healthz");
            assertEquals(404, missing.statusCode());
            assertEquals("not_found", JSON.readTree(missing.body()).get("error").asText());
        }
    }

    @Test
    void unhealthyServiceAnswers503AndNamesWhatFails() throws Exception {
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("database", () -> Health.down("connection refused"))
                .register("billing.schema", Health::up)
                .register("webhooks.schema", () -> Health.down("2 checks failed"))
                .register("purchases", () -> Health.outOfService("off"), HealthCheckOptions.defaults().withCritical(false))
                .build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("2.0.0-rc.1").build();
            HealthResponse health = endpoints.health();
            assertEquals(503, health.statusCode());
            JsonNode body = JSON.readTree(health.body());
            assertEquals("unhealthy", body.get("status").asText());
            assertEquals("disconnected", body.get("database").asText());
            assertFalse(body.has("checks"), "details only behind the flag");

            HealthResponse ready = endpoints.ready();
            assertEquals(503, ready.statusCode());
            assertEquals("{\"ready\":false,\"failing\":[\"database\",\"webhooks.schema\"]}", ready.bodyText());
        }
    }

    @Test
    void outOfServiceIsUnreadyAndNoDatabaseFieldWithoutADatabaseContributor() throws Exception {
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("maintenance", () -> Health.outOfService("planned")).build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).build();
            JsonNode body = JSON.readTree(endpoints.health().body());
            assertEquals("unknown", body.get("version").asText());
            assertFalse(body.has("database"));
            assertEquals(503, endpoints.ready().statusCode());
        }
    }

    @Test
    void livenessNeverRunsAContributor() {
        AtomicInteger runs = new AtomicInteger();
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("database", () -> {
                    runs.incrementAndGet();
                    throw new IllegalStateException("down");
                }).build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).build();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, endpoints.live().statusCode());
            }
            assertEquals(0, runs.get());
            assertEquals(503, endpoints.ready().statusCode());
            assertEquals(1, runs.get());
        }
    }

    @Test
    void detailedViewShowsEveryContributorScrubbed() throws Exception {
        AtomicBoolean up = new AtomicBoolean(true);
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("database", () -> up.get() ? Health.up().withDetail("pool.active", 2) : Health.down("x"))
                .register("mail", () -> Health.up()
                        .withDetail("note", "sent to alice@example.com via smtp://bob:s3cretpw@mail.example.com")
                        .withDetail("api_key", "abc")
                        .withDetail("ratio", 0.5)
                        .withDetail("nan", Double.NaN)
                        .withDetail("quote", "a \"quoted\"\nline\u0001"))
                .build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.0").detailed(true).build();
            HealthResponse response = endpoints.health();
            assertEquals(200, response.statusCode());
            assertEquals("application/health+json", response.contentType());
            String text = response.bodyText();
            assertFalse(text.contains("alice@example.com"), text);
            assertFalse(text.contains("s3cretpw"), text);
            JsonNode body = JSON.readTree(text); // valid JSON despite quotes and control characters
            JsonNode mail = body.get("checks").get("mail");
            assertEquals("UP", mail.get("status").asText());
            assertEquals("[Filtered]", mail.get("details").get("api_key").asText());
            assertEquals(0.5, mail.get("details").get("ratio").asDouble());
            assertTrue(mail.get("details").get("nan").isNull());
            assertEquals("a \"quoted\"\nline\u0001", mail.get("details").get("quote").asText());
            assertEquals(2, body.get("checks").get("database").get("details").get("pool.active").asInt());
            up.set(false);
            assertEquals(503, endpoints.health().statusCode());
        }
    }

    @Test
    void versionIsValidatedAtBuild() {
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HealthEndpoints.builder(registry).version("1.0 <script>").build());
            assertTrue(e.getMessage().contains("version"), e.getMessage());
            assertEquals(200, HealthEndpoints.builder(registry).build().ready().statusCode(),
                    "no contributor: UNKNOWN counts as ready");
        }
    }

    @Test
    void responsesAreValuesWithCopiedBodies() {
        HealthResponse a = new HealthResponse(200, "application/json", "{}".getBytes());
        byte[] body = a.body();
        body[0] = 'x';
        assertEquals("{}", a.bodyText());
        assertEquals(a, new HealthResponse(200, "application/json", "{}".getBytes()));
        assertEquals(Duration.ofSeconds(2), HealthCheckOptions.DEFAULT_TIMEOUT);
    }
}
