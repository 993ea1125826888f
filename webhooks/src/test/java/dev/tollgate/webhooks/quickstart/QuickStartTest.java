package dev.tollgate.webhooks.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The README's webhooks quick start, end to end with the real Stripe verifier and the PostgreSQL store:
 * the seeds' "send the same event 3×, expect 1 DB record" check.
 */
@TollgatePostgres
class QuickStartTest {

    private static final String SECRET = "whsec_quickstart_0123456789abcdef";

    @Test
    void sameSignedEventThreeTimesGivesOneRowAndOneEffect(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE paid_invoices (invoice_id text PRIMARY KEY)");
        }

        // --- README quick start: begin ---
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder()
                        .secret(SECRET) // from TOLLGATE_STRIPE_WEBHOOK_SECRET; several for rotation
                        .build())
                .store(PostgresIdempotencyStore.create(dataSource))
                // runs in the claim's transaction: the effect and "processed" commit together
                .onTransactional("invoice.paid", (event, connection) -> {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "INSERT INTO paid_invoices (invoice_id) VALUES (?)")) {
                        ps.setString(1, event.json().at("/data/object/id").asText());
                        ps.executeUpdate();
                    }
                })
                .build();

        // In your HTTP endpoint: hand over the raw body bytes and the headers, write the result.
        byte[] body = invoicePaidEvent("evt_quickstart_1", "in_123");
        Map<String, String> headers = Map.of("Stripe-Signature", sign(body, Instant.now()));
        WebhookResult result = pipeline.handle("stripe", WebhookRequest.of(headers, body));
        // response.status(result.httpStatus()).body(result.toJson())
        // --- README quick start: end ---

        assertEquals(200, result.httpStatus());
        assertEquals("processed", result.status());
        for (int i = 0; i < 2; i++) {
            WebhookResult again = pipeline.handle("stripe", WebhookRequest.of(
                    Map.of("Stripe-Signature", sign(body, Instant.now())), body));
            assertEquals(200, again.httpStatus());
            assertEquals("skipped", again.status());
            assertEquals("already_processed", again.reason());
            assertEquals("{\"status\":\"skipped\",\"reason\":\"already_processed\",\"event_id\":\"evt_quickstart_1\"}",
                    again.toJson());
        }
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_quickstart_1'"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM paid_invoices"));
    }

    @Test
    void wrongSecretIsA400WithAReasonCodeAndNoEffect(DataSource dataSource) throws Exception {
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder().secret("whsec_another_secret_entirely_42").build())
                .store(PostgresIdempotencyStore.create(dataSource))
                .on("invoice.paid", event -> {
                    throw new AssertionError("must not run");
                })
                .build();
        byte[] body = invoicePaidEvent("evt_quickstart_2", "in_456");
        WebhookResult result = pipeline.handle("stripe",
                WebhookRequest.of(Map.of("Stripe-Signature", sign(body, Instant.now())), body));
        assertEquals(400, result.httpStatus());
        assertEquals("signature_mismatch", result.reason());
        assertEquals(0, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_quickstart_2'"));
    }

    private static byte[] invoicePaidEvent(String eventId, String invoiceId) {
        return ("{\n  \"id\": \"" + eventId + "\",\n  \"object\": \"event\",\n  \"type\": \"invoice.paid\",\n"
                + "  \"created\": " + Instant.now().getEpochSecond() + ",\n  \"api_version\": \"2025-03-31.basil\",\n"
                + "  \"data\": {\"object\": {\"id\": \"" + invoiceId + "\", \"object\": \"invoice\"}}\n}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Signs like Stripe: HMAC-SHA256 over "{t}.{body}" keyed with the whsec_ string itself. */
    private static String sign(byte[] body, Instant at) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long t = at.getEpochSecond();
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static long count(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
