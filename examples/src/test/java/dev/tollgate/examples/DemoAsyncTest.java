package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code --async}: deliveries are acknowledged as queued and applied once by the background worker. */
@TollgatePostgres
class DemoAsyncTest {

    private static final String STRIPE_SECRET = "whsec_demo_runbook_0123456789abcdef";

    @Test
    void queuedThenAppliedOnceByTheWorker(TestDatabase database) throws Exception {
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, database.jdbcUrl(), database.user(),
                Secret.of(database.password()), true, Secret.of(STRIPE_SECRET), Secret.of("rc_async_secret_0123456789"),
                false, Map.of(), Clock.systemUTC());
        try (DemoService demo = DemoService.start(settings, new PrintStream(OutputStream.nullOutputStream()))) {
            HttpClient http = HttpClient.newHttpClient();
            byte[] event = DemoRunbookTest.subscriptionEvent("evt_async_1", "t_async", "active",
                    Instant.now().getEpochSecond());
            String[] answers = new String[3];
            for (int i = 0; i < answers.length; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + demo.port() + "/webhooks/stripe"))
                        .header("Stripe-Signature", DemoRunbookTest.sign(event, Instant.now().getEpochSecond()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                answers[i] = r.body();
            }
            assertEquals("{\"status\":\"queued\",\"event_id\":\"evt_async_1\"}", answers[0]);
            // later deliveries find the event stored (already_received) or already applied (already_processed)
            for (int i = 1; i < answers.length; i++) {
                assertEquals(true, answers[i].contains("\"status\":\"skipped\""), answers[i]);
            }
            // the worker runs on its own thread: wait (bounded) for it to record the effect
            Awaitility.await("the worker's audit row").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() -> count(demo,
                            "SELECT count(*) FROM billing.audit_log WHERE cause_event_id = 'evt_async_1'") > 0);
            assertEquals(1, count(demo, "SELECT count(*) FROM billing.audit_log WHERE cause_event_id = 'evt_async_1'"));
            assertEquals(1, count(demo, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_async_1'"));
        }
    }

    private static long count(DemoService demo, String sql) throws Exception {
        try (Connection c = demo.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
