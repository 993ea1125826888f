package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's own billing work under a non-owner login role that has exactly the grants the migrations
 * document (webhooks V2, billing V3), with row-level security failing closed: signed Stripe deliveries through
 * the webhook pipeline map a customer and move a tenant's state (across tenants), the gate and the repository
 * read it (scoped to the tenant), the schema check passes, and the role's unscoped sessions on the same pool
 * still see no tenant row afterwards.
 */
@TollgatePostgres
class BillingUnderNonOwnerRoleTest {

    private static final String SECRET = "whsec_billing_non_owner_role_test";
    private static NonOwnerRole role;
    private static DataSource app;

    @BeforeAll
    static void aServiceRoleWithTheDocumentedGrants(TestDatabase db) throws SQLException {
        role = NonOwnerRole.create(db);
        app = role.dataSource();
        BillingGatePostgresTest.setStatus(db.dataSource(), "tenant-owner-set", "active");
    }

    @AfterAll
    static void dropRole() throws SQLException {
        if (role != null) {
            role.close();
        }
    }

    @Test
    void webhookToBillingAndTheGateWorkUnderANonOwnerRole(DataSource owner) throws Exception {
        assertEquals(role.name(), scalar(app, "SELECT current_user"), "the pool really connects as the non-owner role");
        WebhookPipeline pipeline = BillingWebhooks.register(WebhookPipeline.builder()
                        .verifier(StripeVerifier.builder().secret(SECRET).build())
                        .store(PostgresIdempotencyStore.create(app)),
                BillingEventApplier.ofDefaults()).build();
        PostgresBillingRepository repository = new PostgresBillingRepository(app);
        BillingGate gate = BillingGate.builder().repository(repository).cacheTtl(Duration.ofMillis(1))
                .enforcement(EnforcementMode.ON).environment(Map.of()).build();

        Instant t0 = Instant.now().minusSeconds(60);
        // the checkout maps the customer to tenant-c; the subscription names no tenant: found through the mapping
        assertEquals("processed", deliver(pipeline, "evt_rls_checkout", "checkout.session.completed", t0,
                Fixtures.checkoutSession("cus_rls_c", "tenant-c", null)).status());
        assertEquals("processed", deliver(pipeline, "evt_rls_active", "customer.subscription.created", t0.plusSeconds(1),
                Fixtures.subscription("sub_rls_c", "cus_rls_c", "active", null, t0.plus(Duration.ofDays(30)), "price_pro"))
                .status());
        assertTrue(gate.check("tenant-c", OperationClass.WRITE).allowed());
        assertEquals("processed", deliver(pipeline, "evt_rls_past_due", "customer.subscription.updated",
                t0.plusSeconds(2), Fixtures.subscription("sub_rls_c", "cus_rls_c", "past_due", null,
                        t0.plus(Duration.ofDays(30)), "price_pro")).status());

        BillingDecision write = gate.check("tenant-c", OperationClass.WRITE);
        assertFalse(write.allowed());
        assertEquals(402, write.httpStatus());
        assertEquals(BillingStatus.PAST_DUE, write.billingStatus());
        assertTrue(gate.check("tenant-owner-set", OperationClass.WRITE).allowed(), "a row the owner wrote is read too");

        assertEquals(Optional.of("tenant-c"), repository.tenantForCustomer(BillingProvider.STRIPE, "cus_rls_c"));
        assertEquals(Optional.of("cus_rls_c"), repository.customerOf(BillingProvider.STRIPE, "tenant-c"));
        assertEquals(List.of(BillingStatus.ACTIVE, BillingStatus.PAST_DUE),
                repository.auditLog("tenant-c").stream().map(AuditEntry::toStatus).toList());
        List<SchemaCheck> notPassing = repository.verifySchema().stream()
                .filter(check -> !"PASS".equals(check.status())).toList();
        assertEquals(List.of(), notPassing);

        // the owner sees what the non-owner wrote; the non-owner's unscoped sessions on the same pool see nothing
        assertEquals("past_due", scalar(owner, "SELECT status FROM billing.tenant_billing WHERE tenant_id = 'tenant-c'"));
        for (int i = 0; i < 4; i++) {
            assertEquals("0", scalar(app, "SELECT count(*) FROM billing.tenant_billing"));
            assertEquals("0", scalar(app, "SELECT count(*) FROM billing.customers"));
            assertEquals("", scalar(app, "SELECT coalesce(current_setting('tollgate.cross_tenant', true), '')"
                    + " || coalesce(current_setting('tollgate.tenant_id', true), '')"));
        }
    }

    @Test
    void applyingAnEventInsideATenantScopedTransactionPutsTheScopeBack(DataSource owner) throws SQLException {
        List<String> visibleAfter = new ArrayList<>();
        try (Connection c = app.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL tollgate.tenant_id = 'tenant-owner-set'");
            }
            ApplyResult result = BillingEventApplier.ofDefaults().apply(c, Fixtures.stripe("evt_rls_scoped",
                    "customer.subscription.created", Instant.now().minusSeconds(5),
                    Fixtures.subscription("sub_rls_d", "cus_rls_d", "active", "tenant-d",
                            Instant.now().plus(Duration.ofDays(30)), "price_pro")));
            assertEquals(List.of("tenant-d"), result.tenantIds());
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT tenant_id FROM billing.tenant_billing ORDER BY 1")) {
                while (rs.next()) {
                    visibleAfter.add(rs.getString(1));
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
        assertEquals(List.of("tenant-owner-set"), visibleAfter,
                "after the billing work the caller's transaction is scoped to its tenant again");
        assertEquals("active", scalar(owner, "SELECT status FROM billing.tenant_billing WHERE tenant_id = 'tenant-d'"));
    }

    private static WebhookResult deliver(WebhookPipeline pipeline, String id, String type, Instant created,
                                         ObjectNode object) throws Exception {
        ObjectNode event = Fixtures.JSON.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("type", type);
        event.put("created", created.getEpochSecond());
        event.put("api_version", "2025-03-31.basil");
        event.putObject("data").set("object", object);
        byte[] body = Fixtures.JSON.writeValueAsBytes(event);
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        String header = "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        WebhookResult result = pipeline.handle("stripe", WebhookRequest.of(Map.of("Stripe-Signature", header), body));
        assertEquals(200, result.httpStatus(), id + ": " + result.toJson());
        return result;
    }

    private static String scalar(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
