package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.execute;
import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's duplicate cache: what it answers without the store, what it never remembers, and how it
 * forgets. The store runs on a real PostgreSQL; the only stand-in is a pass-through {@link DataSource} that
 * counts the connections the store opens, which is how "the store was not asked" is observed.
 */
@TollgatePostgres
class DuplicateCacheTest {

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-03-01T00:00:00Z");
    private final AtomicInteger connections = new AtomicInteger();
    private final PostgresIdempotencyStore store;
    private final HmacTestVerifier verifier;

    DuplicateCacheTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = PostgresIdempotencyStore.create(counting(dataSource, connections), clock);
        this.verifier = new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock);
    }

    /** A DataSource that hands out the real connections and counts them. */
    private static DataSource counting(DataSource real, AtomicInteger connections) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private WebhookPipeline.Builder pipeline(List<WebhookObserver.Outcome> outcomes, AtomicInteger effects) {
        return WebhookPipeline.builder().verifier(verifier).store(store)
                .observer(new WebhookObserver() {
                    @Override
                    public void eventHandled(String provider, String eventType, Outcome outcome, Duration duration) {
                        outcomes.add(outcome);
                    }
                })
                .onTransactional("invoice.paid", (event, connection) -> effects.incrementAndGet());
    }

    @Test
    @DisplayName("duplicates of an event this pipeline processed are answered already_processed without a store round trip")
    void duplicatesOfProcessedEventSkipTheStore() {
        List<WebhookObserver.Outcome> outcomes = new CopyOnWriteArrayList<>();
        AtomicInteger effects = new AtomicInteger();
        WebhookPipeline pipeline = pipeline(outcomes, effects).build();

        assertEquals(WebhookResult.processed("evt_dc_1"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_1", "invoice.paid")));
        int afterFirst = connections.get();
        for (int i = 0; i < 5; i++) {
            assertEquals(WebhookResult.skipped("already_processed", "evt_dc_1"),
                    pipeline.handle("stripe", signedStripe(clock, "evt_dc_1", "invoice.paid")));
        }

        assertEquals(afterFirst, connections.get(), "a cached duplicate must not open a connection");
        assertEquals(1, effects.get());
        assertEquals(List.of(WebhookObserver.Outcome.PROCESSED, WebhookObserver.Outcome.DUPLICATE,
                WebhookObserver.Outcome.DUPLICATE, WebhookObserver.Outcome.DUPLICATE,
                WebhookObserver.Outcome.DUPLICATE, WebhookObserver.Outcome.DUPLICATE), outcomes);
        // Verification still comes first: a forged duplicate is refused, not answered from the cache.
        byte[] body = TestDeliveries.stripeEvent("evt_dc_1", "invoice.paid");
        WebhookRequest forged = WebhookRequest.of(java.util.Map.of(HmacTestVerifier.HEADER,
                HmacTestVerifier.header("whsec_not_the_secret_0123456789", clock.instant(), body)), body);
        WebhookResult refused = pipeline.handle("stripe", forged);
        assertEquals(400, refused.httpStatus());
        assertEquals(SignatureException.Reason.SIGNATURE_MISMATCH.code(), refused.reason());
    }

    @Test
    @DisplayName("an entry expires after its ttl: a row deleted by hand is processed again once the ttl has passed")
    void entriesExpireOnThePipelineClock() {
        AtomicInteger effects = new AtomicInteger();
        WebhookPipeline pipeline = pipeline(new CopyOnWriteArrayList<>(), effects)
                .duplicateCache(100, Duration.ofMinutes(2)).build();
        pipeline.handle("stripe", signedStripe(clock, "evt_dc_ttl", "invoice.paid"));
        execute(dataSource, "DELETE FROM webhooks.events WHERE event_id = 'evt_dc_ttl'");

        clock.advance(Duration.ofSeconds(119));
        assertEquals(WebhookResult.skipped("already_processed", "evt_dc_ttl"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_ttl", "invoice.paid")), "within the ttl");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(WebhookResult.processed("evt_dc_ttl"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_ttl", "invoice.paid")), "after the ttl");
        assertEquals(2, effects.get());
    }

    @Test
    @DisplayName("duplicateCache(0, …) turns the cache off: every duplicate asks the store")
    void disabledCacheAsksTheStoreEveryTime() {
        WebhookPipeline pipeline = pipeline(new CopyOnWriteArrayList<>(), new AtomicInteger())
                .duplicateCache(0, Duration.ofMinutes(10)).build();
        pipeline.handle("stripe", signedStripe(clock, "evt_dc_off", "invoice.paid"));
        int afterFirst = connections.get();
        for (int i = 0; i < 3; i++) {
            assertEquals(WebhookResult.skipped("already_processed", "evt_dc_off"),
                    pipeline.handle("stripe", signedStripe(clock, "evt_dc_off", "invoice.paid")));
        }
        assertEquals(afterFirst + 3, connections.get());
    }

    @Test
    @DisplayName("an event processed by another replica is remembered once the store has said already_processed")
    void storeAnswerIsRemembered() {
        AtomicInteger effects = new AtomicInteger();
        WebhookPipeline replicaA = pipeline(new CopyOnWriteArrayList<>(), effects).build();
        WebhookPipeline replicaB = pipeline(new CopyOnWriteArrayList<>(), effects).build();
        replicaA.handle("stripe", signedStripe(clock, "evt_dc_other", "invoice.paid"));

        int before = connections.get();
        assertEquals(WebhookResult.skipped("already_processed", "evt_dc_other"),
                replicaB.handle("stripe", signedStripe(clock, "evt_dc_other", "invoice.paid")));
        assertEquals(before + 1, connections.get(), "replica B's first duplicate asks the store");
        replicaB.handle("stripe", signedStripe(clock, "evt_dc_other", "invoice.paid"));
        assertEquals(before + 1, connections.get(), "its second does not");
        assertEquals(1, effects.get());
    }

    @Test
    @DisplayName("failed and dead-lettered events are never cached: the retry and the re-driven delivery are handled")
    void failuresAreNotCached() {
        AtomicInteger attempts = new AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store).maxAttempts(2)
                .on("invoice.paid", event -> {
                    if (attempts.incrementAndGet() <= 2) {
                        throw new IllegalStateException("downstream unavailable");
                    }
                }).build();

        assertEquals("failed", pipeline.handle("stripe", signedStripe(clock, "evt_dc_fail", "invoice.paid")).status());
        assertEquals("failed", pipeline.handle("stripe", signedStripe(clock, "evt_dc_fail", "invoice.paid")).status());
        assertEquals(WebhookResult.skipped("dead_lettered", "evt_dc_fail"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_fail", "invoice.paid")));
        assertTrue(store.redrive("stripe", "evt_dc_fail"));
        assertEquals(WebhookResult.processed("evt_dc_fail"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_fail", "invoice.paid")));
        assertEquals(3, attempts.get());
    }

    @Test
    @DisplayName("the cache is bounded: with room for one event, duplicates of 50 earlier events go to the store")
    void cacheIsBounded() {
        WebhookPipeline pipeline = pipeline(new CopyOnWriteArrayList<>(), new AtomicInteger())
                .duplicateCache(1, Duration.ofHours(1)).build();
        for (int i = 0; i < 50; i++) {
            pipeline.handle("stripe", signedStripe(clock, "evt_dc_many_" + i, "invoice.paid"));
        }
        int before = connections.get();
        for (int i = 0; i < 50; i++) {
            assertEquals("skipped", pipeline.handle("stripe", signedStripe(clock, "evt_dc_many_" + i, "invoice.paid"))
                    .status());
        }
        assertTrue(connections.get() - before >= 49, "at most one duplicate may be answered from a cache of one, "
                + "but " + (50 - (connections.get() - before)) + " were");
        assertEquals(50, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id LIKE 'evt_dc_many_%'"));
    }

    @Test
    @DisplayName("asynchronous mode: a duplicate of a queued event is answered already_received without the store")
    void asyncDuplicatesOfQueuedEvents() {
        AsyncWebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", event -> { }).buildAsync();
        assertEquals(WebhookResult.queued("evt_dc_async"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_async", "invoice.paid")));
        int before = connections.get();
        assertEquals(WebhookResult.skipped("already_received", "evt_dc_async"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dc_async", "invoice.paid")));
        assertEquals(before, connections.get());
    }

    @Test
    @DisplayName("build() refuses a negative size and a non-positive ttl, naming both")
    void builderValidatesTheCache() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookPipeline.builder()
                .verifier(verifier).store(store).on("*", event -> { })
                .duplicateCache(-1, Duration.ZERO).build());
        assertTrue(e.getMessage().contains("duplicateCache maxEntries must be at least 0"), e.getMessage());
        assertTrue(e.getMessage().contains("duplicateCache ttl must be positive"), e.getMessage());
    }
}
