package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL stopped mid-test: readiness goes false, then true again when it is back. */
class DatabaseOutageTest {

    @Test
    void readinessFollowsTheDatabaseDownAndBackUp() {
        try (TestPostgres server = TestPostgres.startEmbedded();
             TestDatabase database = server.createDatabase();
             HealthRegistry registry = HealthRegistry.builder()
                     .register("database", DatabaseHealthContributor.of(database.dataSource()),
                             HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(20)))
                     .build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.0.0").build();
            assertEquals("{\"ready\":true}", endpoints.ready().bodyText());

            server.stop();
            HealthResponse ready = endpoints.ready();
            assertEquals(503, ready.statusCode());
            assertEquals("{\"ready\":false,\"failing\":[\"database\"]}", ready.bodyText());
            HealthResponse health = endpoints.health();
            assertEquals(503, health.statusCode());
            assertEquals("{\"status\":\"unhealthy\",\"version\":\"1.0.0\",\"database\":\"disconnected\"}",
                    health.bodyText());
            assertEquals("{\"live\":true}", endpoints.live().bodyText(), "liveness ignores the database");

            server.start();
            assertEquals("{\"ready\":true}", endpoints.ready().bodyText());
            assertEquals(200, endpoints.health().statusCode());
        }
    }
}
