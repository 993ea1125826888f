package dev.tollgate.testkit;

import static dev.tollgate.testkit.Fixtures.NOW;
import static dev.tollgate.testkit.Fixtures.STRIPE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.ClaimResult;
import dev.tollgate.webhooks.DeadLetter;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.FailureOutcome;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookWorker;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The replayer against real pipelines on PostgreSQL, directly and over HTTP, and with exactly-once broken on purpose. */
@TollgatePostgres
class ReplayerTest {

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at(NOW);
    private final StripeSigner signer = StripeSigner.of(Secret.of(STRIPE_SECRET), clock);
    private final StripeVerifier verifier = StripeVerifier.builder().secret(STRIPE_SECRET).clock(clock).build();

    ReplayerTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS testkit_effects (event_id text NOT NULL)");
            s.execute("TRUNCATE testkit_effects, webhooks.dead_letter_queue, webhooks.events");
        }
    }

    /** The seeds' pipeline: the effect is a row written in the claim's transaction. */
    private WebhookPipeline.Builder transactionalPipeline() {
        return WebhookPipeline.builder().verifier(verifier).store(PostgresIdempotencyStore.create(dataSource, clock))
                .onTransactional("invoice.paid", (event, connection) -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO testkit_effects (event_id) VALUES (?)")) {
                        ps.setString(1, event.id());
                        ps.executeUpdate();
                    }
                });
    }

    private int effects() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM testkit_effects")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private SignedDelivery invoicePaid() {
        return signer.sign(StripeEventFixture.invoicePaid().created(NOW).tenant("tenant-1").build());
    }

    @Test
    @DisplayName("the same event 3 times in sequence: processed, then already_processed twice; 1 row, 1 effect")
    void sequenceOfThree() {
        SignedDelivery delivery = invoicePaid();
        ReplayResult result = Replayer.to(transactionalPipeline().build()).inSequence(delivery, 3);
        assertEquals(List.of("processed", "skipped", "skipped"),
                result.answers().stream().map(a -> a.status().orElseThrow()).toList());
        assertEquals(Optional.of("already_processed"), result.answers().get(2).reason());
        assertEquals(3, result.count(200));
        result.assertExactlyOnce(dataSource, this::effects);
    }

    @Test
    @DisplayName("20 concurrent deliveries to a transactional pipeline: 1 processed, 1 row, 1 effect")
    void twentyConcurrent() {
        ReplayResult result = Replayer.to(transactionalPipeline().build()).concurrently(invoicePaid(), 20);
        assertEquals(20, result.answers().size());
        assertEquals(1, result.firstHandlings());
        result.assertExactlyOnce(dataSource, this::effects);
    }

    @Test
    @DisplayName("20 concurrent deliveries to a plain handler: 409 in_progress answers are allowed, the effect is once")
    void plainHandlerConcurrent() {
        AtomicInteger counter = new AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier)
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .on("invoice.paid", event -> counter.incrementAndGet()).build();
        Replayer.to(pipeline).concurrently(invoicePaid(), 20).assertExactlyOnce(dataSource, counter::get);
    }

    @Test
    @DisplayName("broken on purpose: a handler that counts twice fails with the answers, the row and the effects seen")
    void handlerCountingTwiceFails() {
        AtomicInteger counter = new AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier)
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .on("invoice.paid", event -> counter.addAndGet(2)).build();
        SignedDelivery delivery = invoicePaid();
        ReplayResult result = Replayer.to(pipeline).inSequence(delivery, 3);
        AssertionError error = assertThrows(AssertionError.class,
                () -> result.assertExactlyOnce(dataSource, counter::get));
        String message = error.getMessage();
        for (String expected : List.of("exactly-once violated for stripe event " + delivery.eventId() + " (invoice.paid), "
                        + "3 sequential deliveries", "expected 1 effect, saw 2",
                "answers: 1 × 200 {\"status\":\"processed\",\"event_id\":\"" + delivery.eventId() + "\"}; 2 × 200 "
                        + "{\"status\":\"skipped\",\"reason\":\"already_processed\"",
                "webhooks.events rows for (stripe, " + delivery.eventId() + "): 1 [state=processed attempts=1]",
                "effects: 2")) {
            assertTrue(message.contains(expected), () -> "missing '" + expected + "' in:\n" + message);
        }
        assertTrue(!message.contains("\"processed\" (or \"queued\") answer"), message);
    }

    @Test
    @DisplayName("broken on purpose: a store that forgets processes every delivery, and the assertion says so")
    void forgetfulStoreFails() {
        AtomicInteger counter = new AtomicInteger();
        // The duplicate cache would answer the 2nd and 3rd deliveries itself; off, every one reaches the store.
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier).store(new ForgetfulStore())
                .duplicateCache(0, Duration.ofMinutes(1))
                .on("invoice.paid", event -> counter.incrementAndGet()).build();
        ReplayResult result = Replayer.to(pipeline).inSequence(invoicePaid(), 3);
        AssertionError error = assertThrows(AssertionError.class,
                () -> result.assertExactlyOnce(dataSource, counter::get));
        String message = error.getMessage();
        for (String expected : List.of("expected exactly 1 \"processed\" (or \"queued\") answer, saw 3",
                "expected 1 row in webhooks.events, saw 0", "expected 1 effect, saw 3", "3 × 200 {\"status\":\"processed\"")) {
            assertTrue(message.contains(expected), () -> "missing '" + expected + "' in:\n" + message);
        }
        AssertionError withoutDatabase = assertThrows(AssertionError.class, () -> result.assertExactlyOnce(counter::get));
        assertTrue(!withoutDatabase.getMessage().contains("webhooks.events"), withoutDatabase.getMessage());
    }

    @Test
    @DisplayName("refused deliveries (wrong secret) fail the assertion as error answers, with their reason")
    void refusedDeliveriesFail() {
        SignedDelivery wrong = StripeSigner.of(Secret.of("whsec_not_the_endpoint_secret_000"), clock)
                .sign(StripeEventFixture.invoicePaid().build());
        ReplayResult result = Replayer.to(transactionalPipeline().build()).inSequence(wrong, 2);
        AssertionError error = assertThrows(AssertionError.class,
                () -> result.assertExactlyOnce(dataSource, this::effects));
        assertTrue(error.getMessage().contains("2 answer(s) were neither 2xx nor 409 in_progress"), error.getMessage());
        assertTrue(error.getMessage().contains("2 × 400 {\"status\":\"rejected\",\"reason\":\"signature_mismatch\"}"),
                error.getMessage());
    }

    @Test
    @DisplayName("asynchronous pipeline: 20 concurrent deliveries are queued once, the worker applies the effect once")
    void asyncPipeline() {
        AsyncWebhookPipeline pipeline = transactionalPipeline().buildAsync();
        SignedDelivery delivery = invoicePaid();
        ReplayResult result = Replayer.to(pipeline).concurrently(delivery, 20);
        assertEquals(19, result.answers().stream().filter(a -> a.reason().filter("already_received"::equals).isPresent())
                .count(), result::summary);
        try (WebhookWorker worker = pipeline.newWorker()) {
            assertEquals(1, worker.runOnce());
            assertEquals(0, worker.runOnce());
        }
        result.assertExactlyOnce(dataSource, this::effects);
    }

    @Test
    @DisplayName("over HTTP to a JDK HttpServer wrapping the pipeline: 3 in sequence, then 20 concurrent of another event")
    void overHttp() throws Exception {
        WebhookPipeline pipeline = transactionalPipeline().build();
        try (PipelineHttpServer server = new PipelineHttpServer(pipeline::handle)) {
            Replayer replayer = Replayer.toUrl(server.url("stripe"));
            SignedDelivery first = invoicePaid();
            ReplayResult sequence = replayer.inSequence(first, 3);
            sequence.assertExactlyOnce(dataSource, this::effects);
            assertEquals("{\"status\":\"skipped\",\"reason\":\"already_processed\",\"event_id\":\"" + first.eventId()
                    + "\"}", sequence.answers().get(1).body());
            emptyTables();
            ReplayResult concurrent = replayer.concurrently(invoicePaid(), 20);
            concurrent.assertExactlyOnce(dataSource, this::effects);
        }
    }

    @Test
    @DisplayName("no server listening: each answer is status 0 with the reason, a server error")
    void noServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ReplayAnswer answer = Replayer.toUrl(URI.create("http://127.0.0.1:" + port + "/webhooks/stripe"))
                .deliver(invoicePaid());
        assertEquals(0, answer.httpStatus());
        assertTrue(answer.isServerError());
        assertTrue(answer.body().startsWith("no answer from http://127.0.0.1:" + port), answer.body());
    }

    @Test
    @DisplayName("bad arguments are refused")
    void badArguments() {
        Replayer replayer = Replayer.to(transactionalPipeline().build());
        assertThrows(IllegalArgumentException.class, () -> replayer.inSequence(invoicePaid(), 0));
        assertThrows(IllegalArgumentException.class, () -> replayer.concurrently(invoicePaid(), -1));
        assertThrows(IllegalArgumentException.class, () -> Replayer.toUrl(URI.create("ftp://127.0.0.1/x")));
        assertThrows(NullPointerException.class, () -> replayer.deliver(null));
    }

    /** Forgets every event: each claim goes to a new, empty store. */
    private static final class ForgetfulStore implements IdempotencyStore {
        private IdempotencyStore current = InMemoryIdempotencyStore.builder().build();

        @Override
        public synchronized ClaimResult claim(String provider, String eventId, Duration lease) {
            current = InMemoryIdempotencyStore.builder().build();
            return current.claim(provider, eventId, lease);
        }

        @Override
        public synchronized boolean complete(ClaimResult claim) {
            return current.complete(claim);
        }

        @Override
        public synchronized FailureOutcome fail(ClaimResult claim, String error, int maxAttempts, Instant retryAt) {
            return current.fail(claim, error, maxAttempts, retryAt);
        }

        @Override
        public int purge(Instant olderThan) {
            return 0;
        }

        @Override
        public List<DeadLetter> deadLetters(int limit) {
            return List.of();
        }

        @Override
        public boolean redrive(String provider, String eventId) {
            return false;
        }

        @Override
        public synchronized Optional<EventState> state(String provider, String eventId) {
            return current.state(provider, eventId);
        }
    }
}
