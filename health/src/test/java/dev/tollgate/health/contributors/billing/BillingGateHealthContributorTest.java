package dev.tollgate.health.contributors.billing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.PostgresBillingListener;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.health.ContributorHealth;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.HealthReport;
import dev.tollgate.health.Status;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPgBouncer;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What readiness says about how the gate sees status changes: listening directly, TTL only behind PgBouncer. */
class BillingGateHealthContributorTest {

    @Test
    void directlyTheGateListensAndBehindARealPgBouncerReadinessSaysTtlOnlyAndStaysReady() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate();
             TestPgBouncer bouncer = TestPgBouncer.transactionMode(db)) {
            assertEquals("listening", invalidationThrough(db.dataSource()).health().details().get("invalidation"));

            ContributorHealth behind = invalidationThrough(bouncer.newPool(3));
            assertEquals(Status.UP, behind.status(), "a pooler is no reason to take a replica out");
            assertEquals("ttl_only", behind.health().details().get("invalidation"));
            assertTrue(behind.health().details().get("invalidation_detail").toString().contains("PgBouncer"),
                    behind.health().details().toString());
        }
    }

    @Test
    void aGateWithoutListenerSaysItReliesOnItsTtl() {
        BillingGate gate = BillingGate.builder().repository(new InMemoryBillingRepository(Clock.systemUTC())).build();
        var health = BillingGateHealthContributor.of(gate).check();
        assertEquals(Status.UP, health.status());
        assertEquals("ttl_only", health.details().get("invalidation"));
        assertEquals("on", health.details().get("enforcement"));
    }

    /** The contributor's report for a gate whose listener uses this data source, once the listener settled. */
    private static ContributorHealth invalidationThrough(DataSource dataSource) throws Exception {
        BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(dataSource)).build();
        try (PostgresBillingListener listener = PostgresBillingListener.builder(dataSource).gate(gate)
                .probeTimeout(Duration.ofMillis(300)).build().start();
             HealthRegistry registry = HealthRegistry.builder()
                     .register("billing.gate", BillingGateHealthContributor.of(gate), BillingGateHealthContributor.OPTIONS)
                     .build()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.status().state().name().matches("LISTENING|TTL_ONLY"));
            HealthReport report = registry.check();
            assertTrue(report.ready());
            return report.contributor("billing.gate").orElseThrow();
        }
    }
}
