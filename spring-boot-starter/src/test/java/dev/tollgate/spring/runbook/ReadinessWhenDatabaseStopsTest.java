package dev.tollgate.spring.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * "/health/ready returns 503 when the database is down": a dedicated PostgreSQL server is stopped under a
 * running application; readiness goes DOWN (503), liveness stays UP, and both recover after a restart.
 */
@SpringBootTest(classes = RunbookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "tollgate.webhooks.stripe.secret=whsec_readinessReadinessReadiness012345",
                "tollgate.billing.listener-enabled=false",
                "spring.datasource.hikari.connection-timeout=1000",
                "spring.datasource.hikari.validation-timeout=500",
                "tollgate.health.timeout=3s",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.show-components=always"})
class ReadinessWhenDatabaseStopsTest {

    private static final TestPostgres SERVER = TestPostgres.startEmbedded();
    private static final TestDatabase DATABASE = SERVER.createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::user);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    @AfterAll
    static void stopServer() {
        SERVER.close();
    }

    @Test
    void readiness_is_down_while_the_database_is_stopped_and_liveness_never_is() throws Exception {
        assertEquals(200, get("/actuator/health/readiness").statusCode());

        SERVER.stop();
        try {
            HttpResponse<String> down = get("/actuator/health/readiness");
            assertEquals(503, down.statusCode(), down.body());
            JsonNode tollgate = JSON.readTree(down.body()).at("/components/tollgate");
            assertEquals("DOWN", tollgate.get("status").asText(), down.body());
            assertEquals("DOWN", tollgate.at("/details/database/status").asText(), down.body());
            assertTrue(tollgate.at("/details/database/critical").asBoolean());

            HttpResponse<String> live = get("/actuator/health/liveness");
            assertEquals(200, live.statusCode(), live.body());
        } finally {
            SERVER.start();
        }
        // The pool still holds connections the stop killed; each failed probe evicts the one it used, so
        // readiness recovers within a bounded number of probes (the pool's size), with no waiting.
        HttpResponse<String> again = get("/actuator/health/readiness");
        for (int probe = 0; probe < 20 && again.statusCode() != 200; probe++) {
            again = get("/actuator/health/readiness");
        }
        assertEquals(200, again.statusCode(), again.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
