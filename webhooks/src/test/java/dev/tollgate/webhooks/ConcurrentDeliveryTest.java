package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPgBouncer;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.PreparedStatement;
import java.time.Clock;
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

/**
 * Two replicas (two independent pools, two pipelines) receive the same events concurrently: straight to
 * PostgreSQL, and through a real PgBouncer in transaction mode (the topology of most hosted PostgreSQL), where
 * every transaction may land on another server connection.
 */
class ConcurrentDeliveryTest {

    private static final int THREADS = 50;
    private static final int EVENTS = 1_000;
    private static final int DELIVERIES_PER_EVENT = 3;

    @Test
    @DisplayName("50 threads over two pools deliver the same 1,000 events 3 times each: every effect exactly once")
    void everyEffectExactlyOnce() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase().migrate()) {
            deliverConcurrentlyToTwoReplicas(database.newPool(8), database.newPool(8));
        }
    }

    @Test
    @DisplayName("the same through PgBouncer in transaction mode: exactly once, no prepared-statement error")
    void everyEffectExactlyOnceThroughPgBouncer() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase().migrate();
             TestPgBouncer bouncer = TestPgBouncer.transactionMode(database)) {
            deliverConcurrentlyToTwoReplicas(bouncer.newPool(8), bouncer.newPool(8));
            assertTrue(bouncer.log().contains("login attempt: db=" + database.name()), "through PgBouncer");
            assertFalse(bouncer.log().contains("prepared statement"), bouncer.log());
        }
    }

    @Test
    @DisplayName("asynchronous through PgBouncer: intake and workers of two replicas, every event processed once")
    void asynchronousThroughPgBouncer() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase().migrate();
             TestPgBouncer bouncer = TestPgBouncer.transactionMode(database)) {
            DataSource poolA = bouncer.newPool(8);
            DataSource poolB = bouncer.newPool(8);
            TestDeliveries.execute(poolA, "CREATE TABLE async_effects (event_id text NOT NULL)");
            List<AsyncWebhookPipeline> replicas = List.of(asyncReplica(poolA), asyncReplica(poolB));
            List<WebhookWorker> workers = replicas.stream().map(AsyncWebhookPipeline::newWorker).toList();
            workers.forEach(WebhookWorker::start);
            try {
                ConcurrentLinkedQueue<WebhookRequest> queue = new ConcurrentLinkedQueue<>(shuffledDeliveries(
                        Clock.systemUTC(), "effect.tx"));
                ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        AsyncWebhookPipeline replica = replicas.get(t % 2);
                        futures.add(threads.submit(() -> {
                            for (WebhookRequest r = queue.poll(); r != null; r = queue.poll()) {
                                assertEquals(200, replica.handle("stripe", r).httpStatus());
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get(5, TimeUnit.MINUTES);
                    }
                } finally {
                    threads.shutdownNow();
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> count(poolA,
                        "SELECT count(*) FROM webhooks.events WHERE state = 'processed'") == EVENTS);
            } finally {
                workers.forEach(WebhookWorker::close);
            }
            assertEquals(EVENTS, count(poolA, "SELECT count(*) FROM async_effects"));
            assertEquals(EVENTS, count(poolA, "SELECT count(DISTINCT event_id) FROM async_effects"));
            assertFalse(bouncer.log().contains("prepared statement"), bouncer.log());
        }
    }

    @Test
    @DisplayName("through PgBouncer without prepareThreshold=0: 503s whose log line names the URL parameter to add")
    void aPoolerThatMixesUpPreparedStatementsIsNamedWithTheFix() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase().migrate();
             TestPgBouncer bouncer = TestPgBouncer.transactionMode(database)) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(bouncer.jdbcUrl().replace("?prepareThreshold=0", "")); // the driver's default: 5
            config.setUsername(database.user());
            config.setPassword(database.password());
            config.setMaximumPoolSize(8);
            try (HikariDataSource misconfigured = new HikariDataSource(config)) {
                PostgresIdempotencyStore store = PostgresIdempotencyStore.create(misconfigured);
                ExecutorService threads = Executors.newFixedThreadPool(8);
                try {
                    List<Future<String>> found = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        int thread = t;
                        found.add(threads.submit(() -> {
                            for (int i = 0; i < 200; i++) {
                                try {
                                    store.claim("stripe", "evt_" + thread + "_" + i, Duration.ofSeconds(30));
                                } catch (IdempotencyStoreException e) {
                                    return e.getMessage();
                                }
                            }
                            return null;
                        }));
                    }
                    List<String> messages = new ArrayList<>();
                    for (Future<String> f : found) {
                        String message = f.get(2, TimeUnit.MINUTES);
                        if (message != null) {
                            messages.add(message);
                        }
                    }
                    assertFalse(messages.isEmpty(), "the mix-up shows within 1,600 claims over 8 connections");
                    assertTrue(messages.stream().allMatch(m -> m.contains("add prepareThreshold=0 to the JDBC URL")),
                            messages.toString());
                } finally {
                    threads.shutdownNow();
                }
            }
        }
    }

    private static AsyncWebhookPipeline asyncReplica(DataSource pool) {
        return WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, Clock.systemUTC()))
                .store(PostgresIdempotencyStore.create(pool))
                .workerThreads(4).pollInterval(Duration.ofMillis(50))
                .onTransactional("effect.tx", (event, c) -> {
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO async_effects (event_id) VALUES (?)")) {
                        s.setString(1, event.id());
                        s.executeUpdate();
                    }
                })
                .buildAsync();
    }

    /** Every event {@link #DELIVERIES_PER_EVENT} times, shuffled; events below half get {@code plainType}. */
    private static List<WebhookRequest> shuffledDeliveries(Clock clock, String plainType) {
        List<WebhookRequest> deliveries = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String type = i < EVENTS / 2 ? plainType : "effect.tx";
            for (int d = 0; d < DELIVERIES_PER_EVENT; d++) {
                deliveries.add(TestDeliveries.signedStripe(clock, "evt_" + i, type));
            }
        }
        Collections.shuffle(deliveries, new Random(7));
        return deliveries;
    }

    private void deliverConcurrentlyToTwoReplicas(DataSource poolA, DataSource poolB) throws Exception {
        TestDeliveries.execute(poolA, "CREATE TABLE concurrent_effects (event_id text NOT NULL)");
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        Map<String, AtomicInteger> plainEffects = new ConcurrentHashMap<>();
        WebhookPipeline replicaA = replica(poolA, clock, plainEffects);
        WebhookPipeline replicaB = replica(poolB, clock, plainEffects);

        // Events 0-499 have a plain handler (an in-memory counter), 500-999 a transactional one (a row).
        ConcurrentLinkedQueue<WebhookRequest> queue = new ConcurrentLinkedQueue<>(shuffledDeliveries(clock,
                "effect.plain"));
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
