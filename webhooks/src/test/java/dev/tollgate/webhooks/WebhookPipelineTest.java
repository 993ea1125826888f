package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.model.Event;
import com.stripe.model.Invoice;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class WebhookPipelineTest {

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final PostgresIdempotencyStore store;
    private final HmacTestVerifier verifier;

    WebhookPipelineTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = PostgresIdempotencyStore.create(dataSource, clock);
        this.verifier = new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock);
    }

    @BeforeAll
    static void createEffectTable(DataSource dataSource) {
        TestDeliveries.execute(dataSource, "CREATE TABLE IF NOT EXISTS pipeline_effects (event_id text NOT NULL)");
    }

    private static void recordEffect(java.sql.Connection c, WebhookEvent event) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO pipeline_effects (event_id) VALUES (?)")) {
            s.setString(1, event.id());
            s.executeUpdate();
        }
    }

    @Test
    @DisplayName("the same signed event delivered 3 times: one row, one effect, then skipped/already_processed twice")
    void sameEventThreeTimes() {
        AtomicInteger effects = new AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", event -> effects.incrementAndGet()).build();

        WebhookResult first = pipeline.handle("stripe", signedStripe(clock, "evt_3x", "invoice.paid"));
        WebhookResult second = pipeline.handle("stripe", signedStripe(clock, "evt_3x", "invoice.paid"));
        WebhookResult third = pipeline.handle("stripe", signedStripe(clock, "evt_3x", "invoice.paid"));

        assertEquals(new WebhookResult(200, "processed", null, "evt_3x"), first);
        assertEquals("{\"status\":\"processed\",\"event_id\":\"evt_3x\"}", first.toJson());
        assertEquals(WebhookResult.skipped("already_processed", "evt_3x"), second);
        assertEquals("{\"status\":\"skipped\",\"reason\":\"already_processed\",\"event_id\":\"evt_3x\"}", third.toJson());
        assertEquals(1, effects.get());
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_3x'"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_3x'"
                + " AND state = 'processed' AND attempts = 1 AND lease_token IS NULL"));
    }

    @Test
    @DisplayName("the same with the in-memory store")
    void sameEventThreeTimesInMemory() {
        AtomicInteger effects = new AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier)
                .store(InMemoryIdempotencyStore.builder().clock(clock).build())
                .on("*", event -> effects.incrementAndGet()).build();
        List<Integer> statuses = List.of(1, 2, 3).stream()
                .map(i -> pipeline.handle("stripe", signedStripe(clock, "evt_mem", "invoice.paid")))
                .map(r -> r.status().equals("processed") ? 1 : r.reason().equals("already_processed") ? 2 : 0).toList();
        assertEquals(List.of(1, 2, 2), statuses);
        assertEquals(1, effects.get());
    }

    @Test
    @DisplayName("a failing handler answers 500 handler_failed, the redelivery is processed; effects roll back in a transaction")
    void failingTransactionalHandlerRollsBackAndRetries() {
        AtomicInteger calls = new AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store).maxAttempts(5)
                .onTransactional("invoice.paid", (event, c) -> {
                    recordEffect(c, event);
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("downstream refused");
                    }
                }).build();

        WebhookResult failed = pipeline.handle("stripe", signedStripe(clock, "evt_retry", "invoice.paid"));
        assertEquals(WebhookResult.failed("handler_failed", "evt_retry"), failed);
        assertEquals(0, count(dataSource, "SELECT count(*) FROM pipeline_effects WHERE event_id = 'evt_retry'"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_retry'"
                + " AND state = 'failed' AND attempts = 1 AND last_error LIKE 'java.lang.IllegalStateException: downstream%'"));

        WebhookResult retried = pipeline.handle("stripe", signedStripe(clock, "evt_retry", "invoice.paid"));
        assertEquals(WebhookResult.processed("evt_retry"), retried);
        assertEquals(1, count(dataSource, "SELECT count(*) FROM pipeline_effects WHERE event_id = 'evt_retry'"));
        assertEquals(WebhookResult.skipped("already_processed", "evt_retry"),
                pipeline.handle("stripe", signedStripe(clock, "evt_retry", "invoice.paid")));
    }

    @Test
    @DisplayName("a handler failing every time is dead-lettered after maxAttempts; later deliveries are skipped/dead_lettered")
    void alwaysFailingIsDeadLettered() {
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store).maxAttempts(3)
                .on("invoice.paid", event -> {
                    throw new AssertionError("handler bug");
                }).build();
        for (int i = 0; i < 3; i++) {
            assertEquals(500, pipeline.handle("stripe", signedStripe(clock, "evt_dead", "invoice.paid")).httpStatus());
        }
        assertEquals(WebhookResult.skipped("dead_lettered", "evt_dead"),
                pipeline.handle("stripe", signedStripe(clock, "evt_dead", "invoice.paid")));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.dead_letter_queue WHERE event_id = 'evt_dead'"
                + " AND attempts = 3 AND redriven_at IS NULL"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.dead_letter_queue d JOIN webhooks.events e"
                + " USING (provider, event_id) WHERE event_id = 'evt_dead' AND d.event_type = 'invoice.paid'"
                + " AND e.payload IS NOT NULL AND e.last_error = 'java.lang.AssertionError: handler bug'"));
        assertTrue(store.redrive("stripe", "evt_dead"));
        WebhookPipeline fixed = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", event -> { }).build();
        assertEquals(WebhookResult.processed("evt_dead"),
                fixed.handle("stripe", signedStripe(clock, "evt_dead", "invoice.paid")));
    }

    @Test
    @DisplayName("a dead letter of the synchronous pipeline, re-driven, is processed by a worker from its stored payload")
    void synchronousDeadLetterRedrivenToWorker() {
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store).maxAttempts(1)
                .on("invoice.paid", event -> {
                    throw new IllegalStateException("bug");
                }).build();
        assertEquals(500, pipeline.handle("stripe", signedStripe(clock, "evt_sync_dead", "invoice.paid")).httpStatus());
        assertTrue(store.redrive("stripe", "evt_sync_dead"));
        List<WebhookEvent> seen = new java.util.ArrayList<>();
        AsyncWebhookPipeline fixed = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", seen::add).buildAsync();
        try (WebhookWorker worker = fixed.newWorker()) {
            while (worker.runOnce() > 0) { // other tests of this class may have left due rows behind
                assertTrue(seen.size() < 100);
            }
        }
        List<WebhookEvent> redriven = seen.stream().filter(e -> e.id().equals("evt_sync_dead")).toList();
        assertEquals(1, redriven.size());
        assertEquals("cus_1", redriven.get(0).json().path("data").path("object").path("customer").asText());
        assertEquals(java.util.Optional.of(EventState.PROCESSED), store.state("stripe", "evt_sync_dead"));
    }

    @Test
    @DisplayName("a delivery while another holds the lease answers 409 in_progress")
    void inProgressIs409() {
        store.claim("stripe", "evt_busy", Duration.ofMinutes(5));
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", event -> { }).build();
        WebhookResult result = pipeline.handle("stripe", signedStripe(clock, "evt_busy", "invoice.paid"));
        assertEquals(409, result.httpStatus());
        assertEquals("{\"status\":\"in_progress\",\"event_id\":\"evt_busy\"}", result.toJson());
    }

    @Test
    @DisplayName("an event type without handler is answered 200 skipped/unhandled_type and not stored")
    void unhandledType() {
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", event -> { }).build();
        assertEquals(WebhookResult.skipped("unhandled_type", "evt_other"),
                pipeline.handle("stripe", signedStripe(clock, "evt_other", "customer.created")));
        assertEquals(0, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_other'"));
    }

    @Test
    @DisplayName("handlers see id, type, created, raw bytes, JSON, and a stripe-java Event despite another api_version")
    void handlerSeesTypedEvent() throws Exception {
        WebhookEvent[] seen = new WebhookEvent[1];
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(store)
                .on("invoice.paid", event -> seen[0] = event).build();
        byte[] body = TestDeliveries.stripeEvent("evt_typed", "invoice.paid");
        assertEquals(200, pipeline.handle("stripe", TestDeliveries.signed(clock, body)).httpStatus());
        WebhookEvent event = seen[0];
        assertNotNull(event);
        assertEquals("evt_typed", event.id());
        assertEquals("invoice.paid", event.type());
        assertEquals(java.time.Instant.ofEpochSecond(1767225600), event.created());
        assertEquals(new String(body, StandardCharsets.UTF_8), event.payloadAsString());
        assertEquals("cus_1", event.json().path("data").path("object").path("customer").asText());
        assertTrue(event.toString().contains("bytes") && !event.toString().contains("cus_1"), event.toString());
        Event stripe = event.stripeEvent();
        assertEquals("2019-02-19", stripe.getApiVersion());
        assertEquals("invoice.paid", stripe.getType());
        Invoice invoice = (Invoice) stripe.getDataObjectDeserializer().deserializeUnsafe();
        assertEquals("cus_1", invoice.getCustomer());
    }

    @Test
    @DisplayName("RevenueCat and Standard Webhooks payloads give their ids, types and times")
    void otherFormats() {
        List<WebhookEvent> seen = new java.util.ArrayList<>();
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("revenuecat", TestDeliveries.SECRET, clock))
                .verifier(new HmacTestVerifier("acme", TestDeliveries.SECRET, clock))
                .store(InMemoryIdempotencyStore.builder().clock(clock).build())
                .on("*", seen::add).build();
        byte[] rc = "{\"api_version\":\"1.0\",\"event\":{\"id\":\"rc_1\",\"type\":\"RENEWAL\",\"event_timestamp_ms\":1767225600123}}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(200, pipeline.handle("revenuecat", TestDeliveries.signed(clock, rc)).httpStatus());
        byte[] sw = "{\"type\":\"user.created\",\"timestamp\":\"2026-01-01T00:00:00.5Z\",\"data\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        WebhookRequest swRequest = WebhookRequest.of(Map.of("webhook-id", "msg_1",
                HmacTestVerifier.HEADER, HmacTestVerifier.header(TestDeliveries.SECRET, clock.instant(), sw)), sw);
        assertEquals(200, pipeline.handle("acme", swRequest).httpStatus());
        assertEquals("rc_1", seen.get(0).id());
        assertEquals("RENEWAL", seen.get(0).type());
        assertEquals(java.time.Instant.ofEpochMilli(1767225600123L), seen.get(0).created());
        assertEquals("msg_1", seen.get(1).id());
        assertEquals("user.created", seen.get(1).type());
        assertEquals(java.time.Instant.parse("2026-01-01T00:00:00.5Z"), seen.get(1).created());
    }

    @Test
    @DisplayName("the builder reports every problem of a configuration in one message")
    void builderReportsAllProblems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookPipeline.builder()
                .store(InMemoryIdempotencyStore.builder().build())
                .onTransactional("a", (event, c) -> { })
                .on("a", event -> { })
                .lease(Duration.ZERO).maxAttempts(0).backoff(Duration.ofMinutes(2), Duration.ofMinutes(1))
                .maxBodyBytes(0).workerThreads(0).batchSize(0)
                .buildAsync());
        String message = e.getMessage();
        for (String expected : List.of("no verifier", "already registered", "transactional handlers need a "
                + "PostgresIdempotencyStore", "buildAsync() needs a PostgresIdempotencyStore", "lease must be positive",
                "maxAttempts must be at least 1, but was 0", "backoff max must be at least initial",
                "maxBodyBytes must be at least 1", "workerThreads", "batchSize")) {
            assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
        }
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> WebhookPipeline.builder().build());
        assertTrue(empty.getMessage().contains("no store") && empty.getMessage().contains("no handler"));
    }
}
