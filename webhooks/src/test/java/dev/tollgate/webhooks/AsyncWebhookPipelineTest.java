package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class AsyncWebhookPipelineTest {

    private final TestDatabase database;
    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-03-01T00:00:00Z");

    AsyncWebhookPipelineTest(TestDatabase database) {
        this.database = database;
        this.dataSource = database.dataSource();
    }

    @BeforeAll
    static void createEffectTable(DataSource dataSource) {
        TestDeliveries.execute(dataSource, "CREATE TABLE async_effects (event_id text NOT NULL)");
    }

    private WebhookPipeline.Builder builder(DataSource pool) {
        return WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(pool, clock));
    }

    /** Waits, boundedly, for a condition that other threads make true. */
    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    @Test
    @DisplayName("4 workers in 2 pools drain 5,000 pending events, each handled exactly once")
    void fourWorkersTwoPoolsDrainFiveThousand() throws Exception {
        int events = 5_000;
        Map<String, AtomicInteger> invocations = new ConcurrentHashMap<>();
        CountDownLatch allHandled = new CountDownLatch(events);
        TransactionalWebhookHandler handler = (event, c) -> {
            invocations.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO async_effects (event_id) VALUES (?)")) {
                s.setString(1, event.id());
                s.executeUpdate();
            }
            allHandled.countDown();
        };
        AsyncWebhookPipeline replicaA = builder(database.newPool(4)).onTransactional("effect.async", handler)
                .workerThreads(2).batchSize(50).pollInterval(Duration.ofMillis(50)).buildAsync();
        AsyncWebhookPipeline replicaB = builder(database.newPool(4)).onTransactional("effect.async", handler)
                .workerThreads(2).batchSize(50).pollInterval(Duration.ofMillis(50)).buildAsync();

        ExecutorService intake = Executors.newFixedThreadPool(4);
        try {
            List<Future<WebhookResult>> results = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                AsyncWebhookPipeline replica = i % 2 == 0 ? replicaA : replicaB;
                WebhookRequest request = signedStripe(clock, "evt_async_" + i, "effect.async");
                results.add(intake.submit(() -> replica.handle("stripe", request)));
            }
            for (Future<WebhookResult> result : results) {
                assertEquals("queued", result.get(2, TimeUnit.MINUTES).status());
            }
        } finally {
            intake.shutdownNow();
        }
        assertEquals(events, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE state = 'pending'"));

        try (WebhookWorker workerA = replicaA.newWorker(); WebhookWorker workerB = replicaB.newWorker()) {
            workerA.start();
            workerB.start();
            assertTrue(allHandled.await(3, TimeUnit.MINUTES), "handled: " + (events - allHandled.getCount()));
            awaitCondition("every event processed",
                    () -> count(dataSource, "SELECT count(*) FROM webhooks.events WHERE state = 'processed'") == events);
        }
        assertEquals(events, invocations.size());
        invocations.forEach((id, n) -> assertEquals(1, n.get(), id));
        assertEquals(events, count(dataSource, "SELECT count(*) FROM async_effects WHERE event_id LIKE 'evt_async_%'"));
        assertEquals(events, count(dataSource,
                "SELECT count(DISTINCT event_id) FROM async_effects WHERE event_id LIKE 'evt_async_%'"));
    }

    @Test
    @DisplayName("a handler failing twice then succeeding is retried at 10 s, then 20 s later (exponential backoff)")
    void failTwiceThenSucceed() {
        AtomicInteger calls = new AtomicInteger();
        AsyncWebhookPipeline pipeline = builder(dataSource).backoff(Duration.ofSeconds(10), Duration.ofHours(1))
                .maxAttempts(5)
                .on("flaky", event -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new IllegalStateException("temporarily down");
                    }
                }).buildAsync();
        assertEquals("queued", pipeline.handle("stripe", signedStripe(clock, "evt_flaky", "flaky")).status());
        String row = "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_flaky' AND ";
        try (WebhookWorker worker = pipeline.newWorker()) {
            assertEquals(1, worker.runOnce());
            assertEquals(1, count(dataSource, row + "state = 'failed' AND attempts = 1"
                    + " AND next_attempt_at = '2026-03-01T00:00:10Z' AND last_error LIKE '%temporarily down'"));
            assertEquals(0, worker.runOnce());
            clock.advance(Duration.ofSeconds(10));
            assertEquals(1, worker.runOnce());
            assertEquals(1, count(dataSource, row + "state = 'failed' AND attempts = 2"
                    + " AND next_attempt_at = '2026-03-01T00:00:30Z'"));
            clock.advance(Duration.ofSeconds(19));
            assertEquals(0, worker.runOnce());
            clock.advance(Duration.ofSeconds(1));
            assertEquals(1, worker.runOnce());
        }
        assertEquals(3, calls.get());
        assertEquals(1, count(dataSource, row + "state = 'processed' AND attempts = 3 AND last_error IS NULL"));
    }

    @Test
    @DisplayName("a handler always failing ends in the dead-letter queue and is re-driven successfully after the fix")
    void deadLetterThenRedrive() {
        AtomicBoolean fixed = new AtomicBoolean();
        AtomicInteger successes = new AtomicInteger();
        AsyncWebhookPipeline pipeline = builder(dataSource).backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
                .maxAttempts(3)
                .on("broken", event -> {
                    if (!fixed.get()) {
                        throw new UnsupportedOperationException("bug #42");
                    }
                    successes.incrementAndGet();
                }).buildAsync();
        pipeline.handle("stripe", signedStripe(clock, "evt_broken", "broken"));
        try (WebhookWorker worker = pipeline.newWorker()) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                assertEquals(1, worker.runOnce(), "attempt " + attempt);
                clock.advance(Duration.ofSeconds(10));
            }
            assertEquals(0, worker.runOnce(), "a dead event is not retried");
            List<DeadLetter> dead = pipeline.store().deadLetters(10);
            assertEquals(1, dead.size());
            assertEquals("evt_broken", dead.get(0).eventId());
            assertEquals("broken", dead.get(0).eventType());
            assertEquals(3, dead.get(0).attempts());
            assertTrue(dead.get(0).lastError().contains("bug #42"));
            assertEquals(WebhookResult.skipped("already_received", "evt_broken"),
                    pipeline.handle("stripe", signedStripe(clock, "evt_broken", "broken")));

            fixed.set(true);
            assertTrue(pipeline.store().redrive("stripe", "evt_broken"));
            assertEquals(1, worker.runOnce());
        }
        assertEquals(1, successes.get());
        assertEquals(List.of(), pipeline.store().deadLetters(10));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.dead_letter_queue"
                + " WHERE event_id = 'evt_broken' AND redriven_at IS NOT NULL"));
        assertEquals(1, count(dataSource,
                "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_broken' AND state = 'processed'"));
    }

    @Test
    @DisplayName("close() waits for the event in flight to finish instead of abandoning it; a closed worker cannot restart")
    void closeDrainsInFlight() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AsyncWebhookPipeline pipeline = builder(dataSource).workerThreads(1).pollInterval(Duration.ofMillis(50))
                .on("slow", event -> {
                    entered.countDown();
                    assertTrue(release.await(2, TimeUnit.MINUTES));
                }).buildAsync();
        WebhookWorker worker = pipeline.newWorker();
        worker.start();
        assertThrows(IllegalStateException.class, worker::start);
        pipeline.handle("stripe", signedStripe(clock, "evt_slow", "slow"));
        assertTrue(entered.await(2, TimeUnit.MINUTES));

        Thread closer = new Thread(worker::close, "closer");
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "close() returned while an event was in flight");
        assertEquals(1, count(dataSource,
                "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_slow' AND state = 'processing'"));
        release.countDown();
        closer.join(TimeUnit.MINUTES.toMillis(2));
        assertFalse(closer.isAlive());
        assertFalse(worker.isRunning());
        assertEquals(1, count(dataSource,
                "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_slow' AND state = 'processed'"));
        assertThrows(IllegalStateException.class, worker::start);
    }
}
