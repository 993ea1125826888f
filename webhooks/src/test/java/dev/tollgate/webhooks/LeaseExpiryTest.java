package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.internal.PostgresEventQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A worker that dies holding a lease: after expiry another claims and completes the event, once. */
@TollgatePostgres
class LeaseExpiryTest {

    private static final Duration LEASE = Duration.ofMinutes(2);

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-02-01T00:00:00Z");
    private final PostgresIdempotencyStore store;
    private final AtomicInteger effects = new AtomicInteger();

    LeaseExpiryTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = PostgresIdempotencyStore.create(dataSource, clock);
    }

    private WebhookPipeline.Builder builder() {
        return WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(store).lease(LEASE).clock(clock)
                .on("invoice.paid", event -> effects.incrementAndGet());
    }

    @Test
    @DisplayName("synchronous: 409 while the dead worker's lease runs, processed once after it expires")
    void synchronous() {
        ClaimResult dead = store.claim("stripe", "evt_sync", LEASE); // this worker "dies" now
        WebhookPipeline pipeline = builder().build();

        assertEquals(409, pipeline.handle("stripe", signedStripe(clock, "evt_sync", "invoice.paid")).httpStatus());
        clock.advance(LEASE.minusSeconds(1));
        assertEquals(409, pipeline.handle("stripe", signedStripe(clock, "evt_sync", "invoice.paid")).httpStatus());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(WebhookResult.processed("evt_sync"),
                pipeline.handle("stripe", signedStripe(clock, "evt_sync", "invoice.paid")));
        assertEquals(WebhookResult.skipped("already_processed", "evt_sync"),
                pipeline.handle("stripe", signedStripe(clock, "evt_sync", "invoice.paid")));

        assertEquals(1, effects.get());
        assertFalse(store.complete(dead), "the dead worker's stale lease completes nothing");
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_sync'"
                + " AND state = 'processed' AND attempts = 2"));
    }

    @Test
    @DisplayName("asynchronous: a worker claims nothing while the dead worker's lease runs, then completes it once")
    void asynchronous() {
        AsyncWebhookPipeline pipeline = builder().buildAsync();
        assertEquals(WebhookResult.queued("evt_async"),
                pipeline.handle("stripe", signedStripe(clock, "evt_async", "invoice.paid")));
        List<PostgresEventQueue.ClaimedEvent> dead = new PostgresEventQueue(dataSource, clock).claimDue(10, LEASE);
        assertEquals(1, dead.size()); // this worker "dies" holding it

        try (WebhookWorker worker = pipeline.newWorker()) {
            assertEquals(0, worker.runOnce());
            clock.advance(LEASE);
            assertEquals(1, worker.runOnce());
            assertEquals(0, worker.runOnce());
        }
        assertEquals(1, effects.get());
        ClaimResult stale = dead.get(0).claim();
        assertFalse(store.complete(stale));
        assertEquals(FailureOutcome.LEASE_LOST, store.fail(stale, "late failure", 5, clock.instant()));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_async'"
                + " AND state = 'processed' AND attempts = 2"));
    }
}
