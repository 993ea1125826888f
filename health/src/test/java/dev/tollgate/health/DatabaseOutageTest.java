package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A real PostgreSQL stopped mid-test, and one frozen ({@code SIGSTOP}: it hangs instead of failing): readiness
 * goes false within a bound, then true again when it is back, without a restart.
 */
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

    @Test
    void readinessTurnsFalseWithinTheBoundWhenTheDatabaseHangsAndRecoversOnThaw() {
        try (TestPostgres server = TestPostgres.startEmbedded();
             TestDatabase database = server.createDatabase();
             HikariDataSource pool = database.newPool(2);
             HealthRegistry registry = HealthRegistry.builder()
                     .register("database", DatabaseHealthContributor.of(pool, Duration.ofSeconds(1)),
                             HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(2)))
                     .build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.0.0").build();
            assertEquals("{\"ready\":true}", endpoints.ready().bodyText());

            server.freeze();
            try {
                for (int probe = 0; probe < 3; probe++) { // a probe every so often, as Kubernetes would
                    long start = System.nanoTime();
                    HealthResponse ready = endpoints.ready();
                    long took = System.nanoTime() - start;
                    assertEquals(503, ready.statusCode());
                    assertTrue(took < Duration.ofSeconds(4).toNanos(), "answered in " + Duration.ofNanos(took));
                    assertEquals("{\"live\":true}", endpoints.live().bodyText(), "liveness ignores the database");
                }
            } finally {
                server.thaw();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> endpoints.ready().statusCode() == 200);
        }
    }
}
