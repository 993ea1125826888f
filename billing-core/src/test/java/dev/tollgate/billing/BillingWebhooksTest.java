package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billing through the real webhook pipeline: signed Stripe and RevenueCat deliveries, the PostgreSQL
 * idempotency store and billing tables in one transaction, and the gate reading the result. This is
 * the seeds' runbook: a delivery moves the tenant to past_due, writes answer 402, the same event again
 * changes nothing.
 */
@TollgatePostgres
class BillingWebhooksTest {

    private static final String STRIPE_SECRET = "whsec_billing_webhooks_test_secret";
    private static final String REVENUECAT_AUTH = "rc_webhook_auth_value_0123456789";

    private WebhookPipeline pipeline;
    private BillingGate gate;
    private PostgresBillingRepository repository;
    private DataSource dataSource;

    @BeforeEach
    void wire(DataSource dataSource) {
        this.dataSource = dataSource;
        pipeline = BillingWebhooks.register(WebhookPipeline.builder()
                        .verifier(StripeVerifier.builder().secret(STRIPE_SECRET).build())
                        .verifier(RevenueCatVerifier.builder().authorization(REVENUECAT_AUTH).build())
                        .store(PostgresIdempotencyStore.create(dataSource)),
                BillingEventApplier.ofDefaults())
                .build();
        repository = new PostgresBillingRepository(dataSource);
        gate = BillingGate.builder().repository(repository).cacheTtl(Duration.ofMillis(1))
                .enforcement(EnforcementMode.ON).environment(Map.of()).build();
    }

    @Test
    void pastDueSubscriptionEventGatesWritesAndDuplicatesChangeNothing() throws Exception {
        String tenant = "tenant-wh-1";
        Instant t0 = Instant.now().minusSeconds(60);
        deliverStripe("evt_wh_active", "customer.subscription.created", t0,
                Fixtures.subscription("sub_wh_1", "cus_wh_1", "active", tenant, t0.plus(Duration.ofDays(30)), "price_pro"));
        assertTrue(gate.check(tenant, OperationClass.WRITE).allowed());

        byte[] pastDue = stripeEvent("evt_wh_past_due", "customer.subscription.updated", t0.plusSeconds(10),
                Fixtures.subscription("sub_wh_1", "cus_wh_1", "past_due", tenant, t0.plus(Duration.ofDays(30)), "price_pro"));
        List<WebhookResult> results = List.of(deliver(pastDue), deliver(pastDue), deliver(pastDue));
        assertEquals("processed", results.get(0).status());
        assertEquals("already_processed", results.get(1).reason());
        assertEquals("already_processed", results.get(2).reason());

        BillingDecision write = gate.check(tenant, OperationClass.WRITE);
        assertFalse(write.allowed());
        assertEquals(402, write.httpStatus());
        assertEquals("{\"error\":\"subscription_required\",\"message\":\"Payment overdue. Please update your payment "
                + "method.\",\"billing_status\":\"past_due\"}", write.jsonBody());
        assertTrue(gate.check(tenant, OperationClass.READ).allowed(), "reads stay allowed while past_due");
        assertEquals(1, count("SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_wh_past_due'"));
        assertEquals(1, count("SELECT count(*) FROM billing.audit_log WHERE tenant_id = '" + tenant
                + "' AND to_status = 'past_due'"), "one transition, one audit row, despite 3 deliveries");

        // The runbook's reset: an operator sets the tenant back to active with SQL.
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE billing.tenant_billing SET status = 'active' WHERE tenant_id = '" + tenant + "'");
        }
        gate.invalidate(tenant);
        assertTrue(gate.check(tenant, OperationClass.WRITE).allowed());
    }

    @Test
    void malformedSubscriptionIsDeadLetteredAt400AndChangesNothing() throws Exception {
        ObjectNode broken = Fixtures.subscription("sub_wh_2", "cus_wh_2", "active", "tenant-wh-2",
                Instant.now().plus(Duration.ofDays(30)), "price_pro");
        broken.put("status", 42); // a number where Stripe sends a status string
        WebhookResult result = deliver(stripeEvent("evt_wh_broken", "customer.subscription.updated",
                Instant.now(), broken));
        assertEquals(400, result.httpStatus(), result.toJson());
        assertEquals("invalid_event_object", result.reason());
        assertEquals(Optional.empty(), repository.find("tenant-wh-2"));
        assertEquals(Optional.of(EventState.DEAD),
                PostgresIdempotencyStore.create(dataSource).state("stripe", "evt_wh_broken"));
    }

    @Test
    void unknownStripeTypesAreAcknowledgedWithoutEffect() throws Exception {
        WebhookResult result = deliver(stripeEvent("evt_wh_other", "payment_method.attached", Instant.now(),
                Fixtures.JSON.createObjectNode().put("id", "pm_1").put("object", "payment_method")));
        assertEquals(200, result.httpStatus());
        assertEquals("unhandled_type", result.reason());
    }

    @Test
    void revenueCatBillingIssueAndWrongBearer() throws Exception {
        Instant now = Instant.now();
        byte[] purchase = Fixtures.JSON.writeValueAsBytes(Fixtures.revenueCatBody("rc_wh_1", "INITIAL_PURCHASE",
                now.minusSeconds(30), "user-wh-3", now.plus(Duration.ofDays(30)), List.of("pro_access")));
        WebhookResult ok = pipeline.handle("revenuecat", WebhookRequest.of(
                Map.of("Authorization", "Bearer " + REVENUECAT_AUTH), purchase));
        assertEquals("processed", ok.status(), ok.toJson());
        assertEquals(BillingStatus.ACTIVE, repository.find("user-wh-3").orElseThrow().status());

        WebhookResult wrong = pipeline.handle("revenuecat", WebhookRequest.of(
                Map.of("Authorization", "Bearer not-the-secret"), purchase));
        assertEquals(401, wrong.httpStatus());
        assertEquals("authorization_mismatch", wrong.reason());
        assertFalse(wrong.toJson().contains(REVENUECAT_AUTH));
    }

    private WebhookResult deliverStripe(String id, String type, Instant created, ObjectNode object) throws Exception {
        WebhookResult result = deliver(stripeEvent(id, type, created, object));
        assertEquals("processed", result.status(), result.toJson());
        return result;
    }

    private WebhookResult deliver(byte[] body) throws Exception {
        return pipeline.handle("stripe", WebhookRequest.of(Map.of("Stripe-Signature", sign(body)), body));
    }

    private static byte[] stripeEvent(String id, String type, Instant created, ObjectNode object) throws Exception {
        ObjectNode event = Fixtures.JSON.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("type", type);
        event.put("created", created.getEpochSecond());
        event.put("api_version", "2025-03-31.basil");
        event.putObject("data").set("object", object);
        return Fixtures.JSON.writeValueAsBytes(event);
    }

    private static String sign(byte[] body) throws Exception {
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
