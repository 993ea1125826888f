package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two replicas (two independent pools, two pipelines) receive the same events concurrently. */
@TollgatePostgres
class ConcurrentDeliveryTest {

    private static final int THREADS = 50;
    private static final int EVENTS = 1_000;
    private static final int DELIVERIES_PER_EVENT = 3;

    @Test
    @DisplayName("50 threads over two pools deliver the same 1,000 events 3 times each: every effect exactly once")
    void everyEffectExactlyOnce(TestDatabase database) throws Exception {
        DataSource poolA = database.newPool(8);
        DataSource poolB = database.newPool(8);
        TestDeliveries.execute(poolA, "CREATE TABLE concurrent_effects (event_id text NOT NULL)");
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        Map<String, AtomicInteger> plainEffects = new ConcurrentHashMap<>();
        WebhookPipeline replicaA = replica(poolA, clock, plainEffects);
        WebhookPipeline replicaB = replica(poolB, clock, plainEffects);

        // Events 0-499 have a plain handler (an in-memory counter), 500-999 a transactional one (a row).
        List<WebhookRequest> deliveries = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String type = i < EVENTS / 2 ? "effect.plain" : "effect.tx";
            for (int d = 0; d < DELIVERIES_PER_EVENT; d++) {
                deliveries.add(TestDeliveries.signedStripe(clock, "evt_" + i, type));
            }
        }
        Collections.shuffle(deliveries, new Random(7));
        ConcurrentLinkedQueue<WebhookRequest> queue = new ConcurrentLinkedQueue<>(deliveries);
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                WebhookPipeline replica = t % 2 == 0 ? replicaA : replicaB;
                futures.add(threads.submit(() -> {
                    go.await();
                    for (WebhookRequest r = queue.poll(); r != null; r = queue.poll()) {
                        WebhookResult result = replica.handle("stripe", r);
                        String key = result.httpStatus() + " " + result.status() + " " + result.reason();
                        outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }

        assertEquals(EVENTS, outcomes.get("200 processed null").get(), outcomes.toString());
        int duplicates = outcomes.getOrDefault("200 skipped already_processed", new AtomicInteger()).get()
                + outcomes.getOrDefault("409 in_progress null", new AtomicInteger()).get();
        assertEquals(EVENTS * (DELIVERIES_PER_EVENT - 1), duplicates, outcomes.toString());
        assertEquals(EVENTS / 2, plainEffects.size());
        plainEffects.forEach((id, n) -> assertEquals(1, n.get(), id));
        assertEquals(EVENTS / 2, count(poolA, "SELECT count(*) FROM concurrent_effects"));
        assertEquals(EVENTS / 2, count(poolA, "SELECT count(DISTINCT event_id) FROM concurrent_effects"));
        assertEquals(EVENTS, count(poolA, "SELECT count(*) FROM webhooks.events WHERE state = 'processed' AND attempts = 1"));
        assertTrue(count(poolA, "SELECT count(*) FROM webhooks.events WHERE state <> 'processed'") == 0);
    }

    private static WebhookPipeline replica(DataSource pool, MutableClock clock, Map<String, AtomicInteger> plainEffects) {
        return WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(pool, clock))
                .lease(Duration.ofMinutes(5))
                .on("effect.plain", event -> plainEffects.computeIfAbsent(event.id(), k -> new AtomicInteger())
                        .incrementAndGet())
                .onTransactional("effect.tx", (event, c) -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO concurrent_effects (event_id) VALUES (?)")) {
                        s.setString(1, event.id());
                        s.executeUpdate();
                    }
                })
                .build();
    }
}
