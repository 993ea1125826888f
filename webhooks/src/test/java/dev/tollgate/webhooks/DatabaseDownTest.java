package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The database stops mid-run: 503s, no exception escapes; it comes back: processing resumes. */
class DatabaseDownTest {

    @Test
    @DisplayName("database stopped mid-run → 503 store_unavailable, no exception; restarted → processing resumes")
    void databaseStoppedMidRun() throws Exception {
        MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
        Set<String> handled = ConcurrentHashMap.newKeySet();
        CountDownLatch asyncBefore = new CountDownLatch(1);
        CountDownLatch asyncAfter = new CountDownLatch(1);
        try (TestPostgres server = TestPostgres.startEmbedded()) {
            TestDatabase database = server.createDatabase().migrate();
            try {
                PostgresIdempotencyStore store = PostgresIdempotencyStore.create(database.dataSource(), clock);
                WebhookPipeline sync = WebhookPipeline.builder()
                        .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                        .store(store).on("sync", event -> handled.add(event.id())).build();
                AsyncWebhookPipeline async = WebhookPipeline.builder()
                        .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                        .store(store).workerThreads(1).pollInterval(Duration.ofMillis(100))
                        .on("async", event -> {
                            handled.add(event.id());
                            (event.id().equals("evt_async_before") ? asyncBefore : asyncAfter).countDown();
                        }).buildAsync();

                try (WebhookWorker worker = async.newWorker()) {
                    worker.start();
                    assertEquals(WebhookResult.processed("evt_before"),
                            sync.handle("stripe", signedStripe(clock, "evt_before", "sync")));
                    assertEquals("queued", async.handle("stripe", signedStripe(clock, "evt_async_before", "async")).status());
                    assertTrue(asyncBefore.await(2, TimeUnit.MINUTES));

                    server.stop();

                    assertEquals(WebhookResult.storeUnavailable(),
                            sync.handle("stripe", signedStripe(clock, "evt_during", "sync")));
                    assertEquals("{\"status\":\"unavailable\",\"reason\":\"store_unavailable\"}",
                            async.handle("stripe", signedStripe(clock, "evt_async_during", "async")).toJson());

                    server.start();

                    // The provider retries: the first attempts may still meet connections broken by the restart.
                    assertEquals(WebhookResult.processed("evt_during"), untilNot503(
                            () -> sync.handle("stripe", signedStripe(clock, "evt_during", "sync"))));
                    assertEquals(WebhookResult.skipped("already_processed", "evt_before"),
                            sync.handle("stripe", signedStripe(clock, "evt_before", "sync")));
                    assertEquals("queued", untilNot503(
                            () -> async.handle("stripe", signedStripe(clock, "evt_async_during", "async"))).status());
                    assertTrue(asyncAfter.await(2, TimeUnit.MINUTES), "the running worker resumed");
                }
                assertEquals(Set.of("evt_before", "evt_async_before", "evt_during", "evt_async_during"), handled);
            } finally {
                database.close();
            }
        }
    }

    /** Delivers again while the answer is 503, as a provider does; at most 20 times. */
    private static WebhookResult untilNot503(Supplier<WebhookResult> delivery) {
        List<WebhookResult> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WebhookResult result = delivery.get();
            if (result.httpStatus() != 503) {
                return result;
            }
            seen.add(result);
        }
        throw new AssertionError("still 503 after 20 deliveries: " + seen);
    }
}
