package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database that hangs instead of failing ({@code SIGSTOP} on every PostgreSQL process: sockets stay open,
 * nothing answers): webhook requests are answered 503 within a bound set by the store's timeout and the pool's
 * connection timeout, worker threads do not pile up, and everything resumes on {@code SIGCONT} without a restart.
 */
class FrozenDatabaseTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration LEASE = Duration.ofSeconds(3);
    /** Pool wait + statement wait + the driver's connect and the test's own slack. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    private static TestPostgres server;
    private static TestDatabase database;

    @BeforeAll
    static void startDedicatedServer() {
        server = TestPostgres.startEmbedded();
        database = server.createDatabase().migrate();
    }

    @AfterAll
    static void stopServer() {
        server.thaw();
        database.close();
        server.close();
    }

    @Test
    void synchronousDeliveriesAnswer503WithinTheBoundWhileFrozenAndAreProcessedAfterThaw() throws Exception {
        try (HikariDataSource pool = pool()) {
            AtomicInteger effects = new AtomicInteger();
            WebhookPipeline pipeline = WebhookPipeline.builder()
                    .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, Clock.systemUTC()))
                    .store(PostgresIdempotencyStore.create(pool).withTimeout(TIMEOUT))
                    .lease(LEASE)
                    .on("invoice.paid", event -> effects.incrementAndGet())
                    .build();
            assertEquals(200, deliver(pipeline, "evt_before").httpStatus());

            server.freeze();
            try {
                ExecutorService senders = Executors.newFixedThreadPool(8);
                try {
                    List<Future<long[]>> answers = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        String id = "evt_frozen_" + i;
                        answers.add(senders.submit(() -> {
                            long start = System.nanoTime();
                            int status = deliver(pipeline, id).httpStatus();
                            return new long[] {status, System.nanoTime() - start};
                        }));
                    }
                    for (Future<long[]> answer : answers) {
                        // bounded by the test too: without the store's timeout these would never return
                        long[] result = answer.get(20, TimeUnit.SECONDS);
                        assertEquals(503, result[0], "the provider is told to retry");
                        assertTrue(result[1] <= BOUND.toNanos(),
                                "answered within " + BOUND + ", took " + Duration.ofNanos(result[1]));
                    }
                } finally {
                    senders.shutdownNow();
                }
            } finally {
                server.thaw();
            }

            // no restart: the pool replaces the connections that timed out
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> deliver(pipeline, "evt_after").httpStatus() == 200);
            // A claim that reached the frozen server before the client gave up commits when it thaws, and holds
            // its lease with nobody behind it: the provider's retry is answered 409 until that lease runs out.
            for (int i = 0; i < 16; i++) {
                String id = "evt_frozen_" + i;
                await().atMost(LEASE.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .until(() -> deliver(pipeline, id).httpStatus() == 200);
            }
            assertEquals(18, effects.get(), "each event's effect once");
        }
    }

    @Test
    void workersNeitherHangNorMultiplyWhileFrozenAndDrainAfterThaw() throws Exception {
        try (HikariDataSource pool = pool()) {
            AtomicInteger effects = new AtomicInteger();
            AsyncWebhookPipeline pipeline = WebhookPipeline.builder()
                    .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, Clock.systemUTC()))
                    .store(PostgresIdempotencyStore.create(pool).withTimeout(TIMEOUT))
                    .workerThreads(3).pollInterval(Duration.ofMillis(100))
                    .on("invoice.paid", event -> effects.incrementAndGet())
                    .buildAsync();
            try (WebhookWorker worker = pipeline.newWorker()) {
                worker.start();
                int threadsBefore = Thread.activeCount();
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, deliver(pipeline, "evt_async_" + i).httpStatus());
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> effects.get() == 20);

                server.freeze();
                try {
                    long start = System.nanoTime();
                    // bounded by the test too: without the store's timeout this call would never return
                    assertEquals(503, CompletableFuture.supplyAsync(() -> deliver(pipeline, "evt_async_frozen"))
                            .get(60, TimeUnit.SECONDS).httpStatus());
                    assertTrue(System.nanoTime() - start <= BOUND.toNanos(), "intake answers within " + BOUND);
                    Thread.sleep(3 * TIMEOUT.toMillis()); // the workers poll into the frozen database meanwhile
                    assertTrue(Thread.activeCount() <= threadsBefore + 2,
                            "no thread piles up: " + threadsBefore + " before, " + Thread.activeCount() + " frozen");
                } finally {
                    server.thaw();
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> deliver(pipeline, "evt_async_frozen").httpStatus() == 200);
                await().atMost(Duration.ofSeconds(30)).until(() -> effects.get() == 21);
            }
            assertEquals(21, count(pool, "SELECT count(*) FROM webhooks.events WHERE state = 'processed'"
                    + " AND event_id LIKE 'evt_async%'"));
        }
    }

    private static WebhookResult deliver(WebhookPipeline pipeline, String id) {
        return pipeline.handle("stripe", TestDeliveries.signedStripe(Clock.systemUTC(), id, "invoice.paid"));
    }

    private static WebhookResult deliver(AsyncWebhookPipeline pipeline, String id) {
        return pipeline.handle("stripe", TestDeliveries.signedStripe(Clock.systemUTC(), id, "invoice.paid"));
    }

    /** The application's pool, with a connection timeout of a second or two as the store's Javadoc advises. */
    private static HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(CONNECTION_TIMEOUT.toMillis() / 2);
        return new HikariDataSource(config);
    }
}
