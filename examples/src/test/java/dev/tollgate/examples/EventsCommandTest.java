package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookWorker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code events} subcommand on a real database, with a fixed clock so its output is golden. */
class EventsCommandTest {

    private static final String SECRET = "whsec_events_command_0123456789abcdef";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
    private final AtomicBoolean downstreamDown = new AtomicBoolean(true);
    private TestDatabase db;
    private Map<String, String> env;
    private AsyncWebhookPipeline pipeline;

    @BeforeEach
    void database() {
        db = TestPostgres.shared().createDatabase().migrate();
        env = Map.of("TOLLGATE_DATABASE_URL", db.jdbcUrl(), "TOLLGATE_DATABASE_USER", db.user(),
                "TOLLGATE_DATABASE_PASSWORD", db.password());
        pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder().secret(SECRET).clock(CLOCK).build())
                .store(PostgresIdempotencyStore.create(db.newPool(6), CLOCK))
                .maxAttempts(1)
                .on("invoice.paid", event -> {
                    attempts.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
                    if (downstreamDown.get()) {
                        throw new IllegalStateException("ledger unavailable");
                    }
                    successes.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
                })
                .workerThreads(2).batchSize(50).pollInterval(Duration.ofMillis(20))
                .buildAsync();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return EventsCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void deliver(String id) throws Exception {
        byte[] body = ("{\"id\":\"" + id + "\",\"object\":\"event\",\"created\":1764579600,\"type\":\"invoice.paid\","
                + "\"data\":{\"object\":{\"id\":\"in_1\",\"object\":\"invoice\"}}}").getBytes(StandardCharsets.UTF_8);
        long t = CLOCK.instant().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String signature = "t=" + t + ",v1=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        WebhookRequest request = WebhookRequest.of(Map.of("Stripe-Signature", signature), body);
        assertEquals("queued", pipeline.handle("stripe", request).status());
    }

    private void drain() {
        try (WebhookWorker worker = pipeline.newWorker()) {
            int claimed;
            do {
                claimed = worker.runOnce();
            } while (claimed > 0);
        }
    }

    @Test
    void listShowReplayAndRedriveOneWithGoldenOutput() throws Exception {
        deliver("evt_a");
        deliver("evt_b");
        drain();
        downstreamDown.set(false);
        deliver("evt_c");
        drain();

        assertEquals(0, run("list"), err.toString());
        assertEquals("""
                PROVIDER\tID\tTYPE\tSTATE\tATTEMPTS\tRECEIVED\tPROCESSED\tLAST ERROR
                stripe\tevt_a\tinvoice.paid\tdead\t1\t2026-12-01T09:00:00Z\t-\tjava.lang.IllegalStateException: ledger unavailable
                stripe\tevt_b\tinvoice.paid\tdead\t1\t2026-12-01T09:00:00Z\t-\tjava.lang.IllegalStateException: ledger unavailable
                stripe\tevt_c\tinvoice.paid\tprocessed\t1\t2026-12-01T09:00:00Z\t2026-12-01T09:00:00Z\t-
                """, out());

        assertEquals(0, run("list", "--state", "processed", "--json"), err.toString());
        assertEquals("[{\"provider\":\"stripe\",\"id\":\"evt_c\",\"type\":\"invoice.paid\",\"state\":\"processed\","
                + "\"attempts\":1,\"receivedAt\":\"2026-12-01T09:00:00Z\",\"processedAt\":\"2026-12-01T09:00:00Z\","
                + "\"lastError\":null}]\n", out());
        assertEquals(1, run("list", "--provider", "revenuecat"));
        assertEquals(1, run("list", "--older-than", "1h"));
        assertEquals(0, run("list", "--newer-than", "1h", "--state", "dead", "--limit", "1"));
        assertEquals(2, out().lines().count(), out());

        assertEquals(0, run("show", "evt_a"), err.toString());
        assertEquals("""
                event      stripe/evt_a
                type       invoice.paid
                state      dead
                attempts   1
                received   2026-12-01T09:00:00Z
                processed  -
                last error java.lang.IllegalStateException: ledger unavailable
                dead       2026-12-01T09:00:00Z after 1 attempt(s), open
                """, out());
        assertFalse(out().contains("in_1"), "no payload without --payload");
        assertEquals(0, run("show", "evt_a", "--provider", "stripe", "--payload"));
        assertTrue(out().contains("payload    {\"id\":\"evt_a\""), out());
        assertEquals(1, run("show", "evt_nope"));

        assertEquals(0, run("redrive", "evt_a"), err.toString());
        assertEquals("re-driven 1\n", out());
        assertEquals(1, run("redrive", "evt_a"));
        assertEquals(0, run("replay", "evt_c", "--json"), err.toString());
        assertEquals("{\"outcome\":\"replayed\"}\n", out());
        assertEquals(1, run("replay", "evt_b"));
        assertEquals(1, run("replay", "evt_nope"));
        drain();
        assertEquals(2, successes.get("evt_c").get());
        assertEquals(1, successes.get("evt_a").get());
        assertEquals(0, run("show", "evt_c"));
        assertTrue(out().contains("replayed   2026-12-01T09:00:00Z"), out());
    }

    @Test
    void badArgumentsPrintUsageAndExitTwo() {
        assertEquals(2, run());
        assertEquals(0, run("--help"));
        assertTrue(out().startsWith("usage: events list"), out());
        String[][] bad = {
            {"frobnicate"}, {"list", "--state", "zombie"}, {"list", "--older-than", "yesterday"},
            {"list", "--limit", "0"}, {"list", "--limit"}, {"list", "--color", "red"}, {"show"},
            {"redrive"}, {"redrive", "evt_1", "--all"}, {"redrive", "--all", "--state", "dead"},
            {"replay", "evt_1", "evt_2"}, {"list", "--payload"}, {"list", "--provider", "a", "--provider", "b"},
        };
        for (String[] args : bad) {
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(err.toString().contains("usage: events"), String.join(" ", args) + ": " + err);
        }
    }

    @Test
    void redrivesAThousandDeadLettersWhileDeliveriesContinueEachHandledOnce() throws Exception {
        int dead = 1_000;
        int fresh = 300;
        for (int i = 0; i < dead; i++) {
            deliver("evt_dead_" + i);
        }
        drain();
        assertEquals(0, run("list", "--state", "dead", "--limit", "10000"));
        assertEquals(dead + 1, out().lines().count());
        downstreamDown.set(false);

        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (WebhookWorker worker = pipeline.newWorker()) {
            worker.start();
            CountDownLatch go = new CountDownLatch(1);
            Future<?> deliveries = threads.submit(() -> {
                go.await();
                for (int i = 0; i < fresh; i++) {
                    deliver("evt_fresh_" + i);
                }
                return null;
            });
            ByteArrayOutputStream out2 = new ByteArrayOutputStream();
            Future<Integer> first = threads.submit(() -> {
                go.await();
                return run("redrive", "--all", "--limit", "10000");
            });
            Future<Integer> second = threads.submit(() -> {
                go.await();
                return EventsCommand.run(new String[] {"redrive", "--all", "--limit", "10000", "--json"}, env,
                        new PrintStream(out2, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), CLOCK);
            });
            go.countDown();
            deliveries.get(5, TimeUnit.MINUTES);
            first.get(5, TimeUnit.MINUTES);
            second.get(5, TimeUnit.MINUTES);
            int redriven = Integer.parseInt(out().strip().replace("re-driven ", ""))
                    + Integer.parseInt(out2.toString(StandardCharsets.UTF_8).replaceAll("[^0-9]", ""));
            assertEquals(dead, redriven, "each dead letter re-driven by exactly one of the two commands");
            org.awaitility.Awaitility.await("all handled").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(50)).until(() -> successes.size() == dead + fresh);
        } finally {
            threads.shutdownNow();
        }
        for (int i = 0; i < dead; i++) {
            assertEquals(1, successes.get("evt_dead_" + i).get(), "evt_dead_" + i);
            assertEquals(2, attempts.get("evt_dead_" + i).get(), "evt_dead_" + i);
        }
        for (int i = 0; i < fresh; i++) {
            assertEquals(1, successes.get("evt_fresh_" + i).get(), "evt_fresh_" + i);
        }
        assertEquals(1, run("list", "--state", "dead"));
        assertEquals(0, run("list", "--state", "processed", "--limit", "10000"));
        assertEquals(dead + fresh + 1, out().lines().count());
    }
}
