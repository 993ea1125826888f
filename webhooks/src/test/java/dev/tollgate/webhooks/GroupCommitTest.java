package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.internal.PostgresEventQueue;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous intake's group commit (issue 18, item 3) against a real PostgreSQL: deliveries that arrive
 * together share one statement and one commit, and each is answered by what committed.
 */
@TollgatePostgres
class GroupCommitTest {

    private static final String TYPE = "invoice.paid";

    private final TestDatabase database;
    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:10Z");

    GroupCommitTest(TestDatabase database) {
        this.database = database;
        this.dataSource = database.dataSource();
    }

    @BeforeEach
    void empty() {
        TestDeliveries.execute(dataSource, "TRUNCATE webhooks.events CASCADE");
    }

    private AsyncWebhookPipeline pipeline(DataSource pool, int maxEvents, Duration window, Duration storeTimeout) {
        return WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(pool, clock).withTimeout(storeTimeout))
                .on(TYPE, event -> { })
                .duplicateCache(0, Duration.ofMinutes(1))
                .groupCommit(maxEvents, window)
                .buildAsync();
    }

    /** Runs every call at once from its own thread and returns the answers in order. */
    private static List<WebhookResult> together(List<Callable<WebhookResult>> calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<WebhookResult>> futures = new ArrayList<>();
            for (Callable<WebhookResult> call : calls) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<WebhookResult> results = new ArrayList<>();
            for (Future<WebhookResult> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("64 concurrent deliveries are stored by far fewer transactions than deliveries, each row once")
    void concurrentDeliveriesShareCommits() throws Exception {
        AsyncWebhookPipeline pipeline = pipeline(database.newPool(4), 64, Duration.ofMillis(50), Duration.ofSeconds(10));
        List<Callable<WebhookResult>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String id = "evt_group_" + i;
            calls.add(() -> pipeline.handle("stripe", signedStripe(clock, id, TYPE)));
        }
        List<WebhookResult> results = together(calls);

        for (int i = 0; i < 64; i++) {
            assertEquals(WebhookResult.queued("evt_group_" + i), results.get(i));
        }
        assertEquals(64, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE state = 'pending'"));
        // every row's xmin is the transaction that inserted it: a batch is one transaction
        long transactions = count(dataSource, "SELECT count(DISTINCT xmin::text) FROM webhooks.events");
        assertTrue(transactions <= 16, "64 deliveries were stored by " + transactions + " transactions");
    }

    @Test
    @DisplayName("two replicas get the same 48 events in opposite orders at once: no deadlock, no 503, each queued once")
    void overlappingBatchesOnTwoReplicasNeverDeadlock() throws Exception {
        for (int round = 0; round < 5; round++) {
            AsyncWebhookPipeline replicaA = pipeline(database.newPool(2), 64, Duration.ofMillis(5), Duration.ofSeconds(10));
            AsyncWebhookPipeline replicaB = pipeline(database.newPool(2), 64, Duration.ofMillis(5), Duration.ofSeconds(10));
            List<Callable<WebhookResult>> calls = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String forward = "evt_overlap_" + round + "_" + i;
                String backward = "evt_overlap_" + round + "_" + (47 - i);
                calls.add(() -> replicaA.handle("stripe", signedStripe(clock, forward, TYPE)));
                calls.add(() -> replicaB.handle("stripe", signedStripe(clock, backward, TYPE)));
            }
            List<WebhookResult> results = together(calls);

            assertTrue(results.stream().allMatch(WebhookResult::isSuccess), results.toString());
            assertEquals(48, results.stream().filter(r -> r.status().equals("queued")).count(), results.toString());
        }
        assertEquals(240, count(dataSource, "SELECT count(*) FROM webhooks.events"));
    }

    @Test
    @DisplayName("the same event delivered 8 times at once: one queued, seven already_received, one row")
    void duplicatesInOneBatch() throws Exception {
        AsyncWebhookPipeline pipeline = pipeline(database.newPool(4), 64, Duration.ofMillis(50), Duration.ofSeconds(10));
        List<Callable<WebhookResult>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> pipeline.handle("stripe", signedStripe(clock, "evt_twin", TYPE)));
        }
        List<WebhookResult> results = together(calls);

        assertEquals(1, results.stream().filter(r -> r.equals(WebhookResult.queued("evt_twin"))).count(),
                results.toString());
        assertEquals(7, results.stream().filter(r -> r.equals(WebhookResult.skipped("already_received", "evt_twin")))
                .count(), results.toString());
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_twin'"));
    }

    @Test
    @DisplayName("a batch the database refuses answers each of its deliveries 503 and commits none of them")
    void refusedBatchAnswersEveryDelivery503() throws Exception {
        AsyncWebhookPipeline pipeline = pipeline(database.newPool(4), 12, Duration.ofMillis(100), Duration.ofSeconds(10));
        // a real server-side refusal of one row (SQLSTATE P0001, not a data error): the whole statement fails
        TestDeliveries.execute(dataSource, "CREATE FUNCTION public.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$BEGIN RAISE EXCEPTION 'poison'; END$$");
        TestDeliveries.execute(dataSource, "CREATE TRIGGER refuse_poison BEFORE INSERT ON webhooks.events FOR EACH ROW"
                + " WHEN (NEW.event_id = 'evt_poison') EXECUTE FUNCTION public.refuse_poison()");
        try {
            List<Callable<WebhookResult>> calls = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                String id = "evt_with_poison_" + i;
                calls.add(() -> pipeline.handle("stripe", signedStripe(clock, id, TYPE)));
            }
            calls.add(() -> pipeline.handle("stripe", signedStripe(clock, "evt_poison", TYPE)));
            List<WebhookResult> results = together(calls);

            // each answer says what committed: 200 only with a row, 503 only without one
            for (int i = 0; i < results.size(); i++) {
                String id = i < 11 ? "evt_with_poison_" + i : "evt_poison";
                long rows = count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = '" + id + "'");
                if (results.get(i).isSuccess()) {
                    assertEquals(WebhookResult.queued(id), results.get(i));
                    assertEquals(1, rows, id + " was answered 200 without its row");
                } else {
                    assertEquals(WebhookResult.storeUnavailable(), results.get(i));
                    assertEquals(0, rows, id + " was answered 503 but stored");
                }
            }
            assertEquals(WebhookResult.storeUnavailable(), results.get(11));
            // the 12 arrive within the 100 ms window, so the poison's batch carries others, refused with it
            assertTrue(results.stream().filter(r -> !r.isSuccess()).count() >= 2, results.toString());
        } finally {
            TestDeliveries.execute(dataSource, "DROP TRIGGER refuse_poison ON webhooks.events");
            TestDeliveries.execute(dataSource, "DROP FUNCTION public.refuse_poison()");
        }
        assertEquals(WebhookResult.queued("evt_with_poison_3"),
                pipeline.handle("stripe", signedStripe(clock, "evt_with_poison_3", TYPE)));
    }

    @Test
    @DisplayName("a batch stuck behind a lock past the store's timeout answers 503; the provider's retries are stored once")
    void timedOutBatchAnswers503ThenRetriesStoreOnce() throws Exception {
        AsyncWebhookPipeline pipeline = pipeline(database.newPool(4), 64, Duration.ofMillis(50), Duration.ofSeconds(1));
        List<Callable<WebhookResult>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "evt_blocked_" + i;
            calls.add(() -> pipeline.handle("stripe", signedStripe(clock, id, TYPE)));
        }
        List<WebhookResult> results;
        // another session holds the table: the insert waits past the store's 1 s timeout, and the store gives up
        try (Connection locker = dataSource.getConnection(); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE webhooks.events IN ACCESS EXCLUSIVE MODE");
            results = together(calls);
            locker.rollback();
        }
        for (WebhookResult result : results) {
            assertEquals(WebhookResult.storeUnavailable(), result);
        }
        // The abandoned statement may still commit once the lock is gone (PostgreSQL notices the closed socket
        // late): a 503 for a row that became durable costs a redelivery, answered as known. What must never
        // happen is the opposite, which refusedBatchAnswersEveryDelivery503 proves.
        List<WebhookResult> retried = together(calls);
        for (int i = 0; i < 12; i++) {
            assertTrue(retried.get(i).isSuccess(), retried.get(i).toString());
        }
        assertEquals(12, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE state = 'pending'"));
    }

    @Test
    @DisplayName("one event whose data PostgreSQL refuses fails alone; the rest of its batch is stored")
    void oneBadRowFailsAlone() {
        PostgresEventQueue queue = new PostgresEventQueue(dataSource, clock);
        List<PostgresEventQueue.Pending> events = List.of(pending("evt_good_1", TYPE), pending("evt_bad", "bad\u0000type"),
                pending("evt_good_2", TYPE), pending("evt_good_1", TYPE));

        List<PostgresEventQueue.Outcome> outcomes = queue.enqueueAll(events);

        assertTrue(outcomes.get(0).stored());
        assertNull(outcomes.get(0).failure());
        assertFalse(outcomes.get(1).stored());
        assertNotNull(outcomes.get(1).failure(), "the NUL character cannot be stored in text");
        assertTrue(outcomes.get(2).stored());
        assertFalse(outcomes.get(3).stored(), "the second copy of evt_good_1 is known, not stored twice");
        assertNull(outcomes.get(3).failure());
        assertEquals(2, count(dataSource, "SELECT count(*) FROM webhooks.events"));
        assertEquals(List.of(false, false), queue.enqueueAll(List.of(pending("evt_good_1", TYPE),
                pending("evt_good_2", TYPE))).stream().map(PostgresEventQueue.Outcome::stored).toList());
    }

    @Test
    @DisplayName("an event claimed by key alone before is known to a batch: one row, in the undated partition")
    void keyOnlyClaimIsKnownToABatch() {
        PostgresIdempotencyStore store = PostgresIdempotencyStore.create(dataSource, clock);
        assertEquals(ClaimResult.Status.NEW, store.claim("stripe", "evt_key_only", Duration.ofSeconds(30)).status());
        PostgresEventQueue queue = new PostgresEventQueue(dataSource, clock);

        List<PostgresEventQueue.Outcome> outcomes = queue.enqueueAll(List.of(pending("evt_key_only", TYPE),
                pending("evt_dated", TYPE)));

        assertFalse(outcomes.get(0).stored(), "the key-only claim's row is the event's row");
        assertTrue(outcomes.get(1).stored());
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_key_only'"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_dated'"
                + " AND event_day = DATE '2026-01-01'"));
    }

    @Test
    @DisplayName("deliveries keep their answers when some are new and some known, across 200 concurrent callers")
    void mixedNewAndKnownUnderLoad() throws Exception {
        AsyncWebhookPipeline pipeline = pipeline(database.newPool(4), 16, Duration.ofMillis(1), Duration.ofSeconds(10));
        for (int i = 0; i < 100; i += 2) {
            assertEquals("queued", pipeline.handle("stripe", signedStripe(clock, "evt_mixed_" + i, TYPE)).status());
        }
        Map<String, WebhookResult> answers = new ConcurrentHashMap<>();
        List<Callable<WebhookResult>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "evt_mixed_" + (i % 100);
            int n = i;
            calls.add(() -> {
                WebhookResult result = pipeline.handle("stripe", signedStripe(clock, id, TYPE));
                answers.put(n + ":" + id, result);
                return result;
            });
        }
        List<WebhookResult> results = together(calls);

        for (int id = 0; id < 100; id++) {
            String eventId = "evt_mixed_" + id;
            long queued = results.stream().filter(r -> r.equals(WebhookResult.queued(eventId))).count();
            long known = results.stream().filter(r -> r.equals(WebhookResult.skipped("already_received", eventId)))
                    .count();
            assertEquals(id % 2 == 0 ? 0 : 1, queued, eventId + ": " + answers);
            assertEquals(id % 2 == 0 ? 2 : 1, known, eventId + ": " + answers);
        }
        assertEquals(100, count(dataSource, "SELECT count(*) FROM webhooks.events"));
    }

    @Test
    @DisplayName("groupCommit is validated at build(): events 1 to 1000, window 0 to 100 ms")
    void groupCommitIsValidated() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> pipeline(dataSource, 1_001, Duration.ofMillis(1), Duration.ofSeconds(1)));
        assertTrue(tooMany.getMessage().contains("groupCommit maxEvents must be 1 to 1000, but was 1001"),
                tooMany.getMessage());
        IllegalArgumentException longWindow = assertThrows(IllegalArgumentException.class,
                () -> pipeline(dataSource, 8, Duration.ofMillis(101), Duration.ofSeconds(1)));
        assertTrue(longWindow.getMessage().contains("groupCommit window must be 0 to 100 ms, but was PT0.101S"),
                longWindow.getMessage());
        assertEquals("queued", pipeline(dataSource, 1, Duration.ZERO, Duration.ofSeconds(5))
                .handle("stripe", signedStripe(clock, "evt_alone", TYPE)).status());
    }

    private static PostgresEventQueue.Pending pending(String id, String type) {
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        WebhookEvent event = new WebhookEvent("stripe", id, type, Instant.parse("2026-01-01T00:00:00Z"), body,
                JsonNodeFactory.instance.objectNode());
        return new PostgresEventQueue.Pending(event, body);
    }
}
