package dev.tollgate.billing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The gate with a database that hangs instead of failing ({@code SIGSTOP}): a cache miss gives up within the
 * repository's timeout and the gate applies its documented policy (the last known state, else allow), and it
 * reads fresh state again after {@code SIGCONT}, without a restart.
 */
class FrozenDatabaseGateTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The pool's 3 s connection timeout, the read's 1 s, and slack. */
    private static final Duration BOUND = Duration.ofSeconds(6);

    @Test
    void aFrozenDatabaseServesTheLastKnownStateOrAllowsWithinTheBoundAndRecoversOnThaw() throws Exception {
        try (TestPostgres server = TestPostgres.startEmbedded();
             TestDatabase db = server.createDatabase().migrate();
             HikariDataSource pool = db.newPool(3)) {
            MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
            BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(pool, TIMEOUT))
                    .clock(clock).cacheTtl(Duration.ofSeconds(5)).build();
            BillingGatePostgresTest.setStatus(pool, "known", "past_due");
            assertFalse(gate.check("known", OperationClass.WRITE).allowed());

            server.freeze();
            try {
                clock.advance(Duration.ofSeconds(6)); // the cached state has expired: the gate must ask again
                long start = System.nanoTime();
                assertFalse(gate.check("known", OperationClass.WRITE).allowed(), "the last known state: past_due");
                assertTrue(System.nanoTime() - start < BOUND.toNanos(), "within " + BOUND);

                start = System.nanoTime();
                BillingDecision unknown = gate.check("never-seen", OperationClass.WRITE);
                assertTrue(unknown.allowed(), "nothing known: the gate fails open, as documented");
                assertTrue(System.nanoTime() - start < BOUND.toNanos(), "within " + BOUND);
            } finally {
                server.thaw();
            }

            BillingGatePostgresTest.setStatus(db.dataSource(), "known", "active");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                clock.advance(Duration.ofSeconds(6));
                return gate.check("known", OperationClass.WRITE).allowed();
            });
            assertEquals(BillingStatus.ACTIVE, new PostgresBillingRepository(pool).find("known").orElseThrow().status(),
                    "the same pool reads again: its timed-out connections were replaced");
        }
    }
}
