package dev.tollgate.billing;

import static dev.tollgate.billing.Fixtures.checkoutSession;
import static dev.tollgate.billing.Fixtures.invoice;
import static dev.tollgate.billing.Fixtures.stripe;
import static dev.tollgate.billing.Fixtures.subscription;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.ApplyResult.Outcome;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class StripeEventApplierTest {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant PERIOD_END = Instant.parse("2026-12-01T00:00:00Z");

    private final BillingEventApplier applier = BillingEventApplier.ofDefaults();

    private static String unique(String prefix) {
        return prefix + "_" + IDS.incrementAndGet();
    }

    @Test
    void subscriptionWithTenantMetadataSetsFullStateAndAuditsInTheSameTransaction(DataSource ds) throws Exception {
        String tenant = unique("tenant");
        String customer = unique("cus");
        ObjectNode sub = subscription("sub_1", customer, "active", tenant, PERIOD_END, "price_pro");
        sub.with("metadata").put("entitlements", "pro_access, exports");
        ApplyResult result = applier.apply(ds, stripe(unique("evt"), "customer.subscription.created", T0, sub));

        assertEquals(Outcome.APPLIED, result.outcome());
        assertEquals(List.of(tenant), result.tenantIds());
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        TenantBilling state = repo.find(tenant).orElseThrow();
        assertEquals(BillingStatus.ACTIVE, state.status());
        assertEquals(BillingProvider.STRIPE, state.provider());
        assertEquals(customer, state.customerId());
        assertEquals("sub_1", state.subscriptionId());
        assertEquals("price_pro", state.planId());
        assertEquals(List.of("pro_access", "exports"), state.entitlementIds());
        assertEquals(PERIOD_END, state.currentPeriodEnd());
        assertEquals(T0, state.sourceEventCreated());
        List<AuditEntry> audit = repo.auditLog(tenant);
        assertEquals(1, audit.size());
        assertNull(audit.get(0).fromStatus());
        assertEquals(BillingStatus.ACTIVE, audit.get(0).toStatus());
        assertEquals(state.sourceEventId(), audit.get(0).causeEventId());
        // metadata.tenant_id also maps the customer, so later invoices without metadata resolve
        assertEquals(tenant, repo.tenantForCustomer(BillingProvider.STRIPE, customer).orElseThrow());
    }

    @Test
    void everySubscriptionStatusIsMapped(DataSource ds) {
        for (BillingStatus status : BillingStatus.values()) {
            if (status == BillingStatus.NONE) {
                continue;
            }
            String tenant = unique("tenant");
            applier.apply(ds, stripe(unique("evt"), "customer.subscription.updated", T0,
                    subscription("sub_s", unique("cus"), status.wireName(), tenant, PERIOD_END, "price")));
            assertEquals(status, new PostgresBillingRepository(ds).find(tenant).orElseThrow().status(), status.name());
        }
    }

    @Test
    void pausedResumedAndDeletedFollowTheSubscriptionObject(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        applier.apply(ds, stripe(unique("evt"), "customer.subscription.paused", T0,
                subscription("sub_p", customer, "paused", tenant, PERIOD_END, "price")));
        assertEquals(BillingStatus.PAUSED, repo.find(tenant).orElseThrow().status());
        applier.apply(ds, stripe(unique("evt"), "customer.subscription.resumed", T0.plusSeconds(10),
                subscription("sub_p", customer, "active", tenant, PERIOD_END, "price")));
        assertEquals(BillingStatus.ACTIVE, repo.find(tenant).orElseThrow().status());
        ObjectNode deleted = subscription("sub_p", customer, "canceled", tenant, PERIOD_END, "price");
        applier.apply(ds, stripe(unique("evt"), "customer.subscription.deleted", T0.plusSeconds(20), deleted));
        TenantBilling state = repo.find(tenant).orElseThrow();
        assertEquals(BillingStatus.CANCELED, state.status());
        assertEquals(PERIOD_END, state.currentPeriodEnd(), "prepaid period kept for access until it ends");
        assertEquals(List.of(BillingStatus.PAUSED, BillingStatus.ACTIVE, BillingStatus.CANCELED),
                repo.auditLog(tenant).stream().map(AuditEntry::toStatus).toList());
    }

    @Test
    void checkoutMapsCustomerFromClientReferenceThenInvoicesResolveThroughTheMapping(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        ApplyResult mapped = applier.apply(ds, stripe(unique("evt"), "checkout.session.completed", T0,
                checkoutSession(customer, tenant, null)));
        assertEquals(Outcome.CUSTOMER_MAPPED, mapped.outcome());
        assertEquals(tenant, repo.tenantForCustomer(BillingProvider.STRIPE, customer).orElseThrow());
        assertEquals(customer, repo.customerOf(BillingProvider.STRIPE, tenant).orElseThrow());

        applier.apply(ds, stripe(unique("evt"), "customer.subscription.created", T0.plusSeconds(1),
                subscription("sub_c", customer, "active", null, PERIOD_END, "price_pro")));
        assertEquals(BillingStatus.ACTIVE, repo.find(tenant).orElseThrow().status());

        applier.apply(ds, stripe(unique("evt"), "invoice.payment_failed", T0.plusSeconds(100),
                invoice(unique("in"), customer, "sub_c", null, "subscription_cycle", false)));
        TenantBilling pastDue = repo.find(tenant).orElseThrow();
        assertEquals(BillingStatus.PAST_DUE, pastDue.status());
        assertEquals("price_pro", pastDue.planId(), "an invoice event keeps the subscription details");
        assertEquals(PERIOD_END, pastDue.currentPeriodEnd());

        applier.apply(ds, stripe(unique("evt"), "invoice.paid", T0.plusSeconds(200),
                invoice(unique("in"), customer, "sub_c", null, "subscription_cycle", true)));
        assertEquals(BillingStatus.ACTIVE, repo.find(tenant).orElseThrow().status());
    }

    @Test
    void checkoutMapsCustomerFromMetadataWhenThereIsNoClientReference(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        applier.apply(ds, stripe(unique("evt"), "checkout.session.completed", T0, checkoutSession(customer, null, tenant)));
        assertEquals(tenant, new PostgresBillingRepository(ds).tenantForCustomer(BillingProvider.STRIPE, customer)
                .orElseThrow());
    }

    @Test
    void actionRequiredMeansIncompleteOnCreationAndPastDueOnRenewal(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        applier.apply(ds, stripe(unique("evt"), "invoice.payment_action_required", T0,
                invoice(unique("in"), customer, "sub_a", tenant, "subscription_create", false)));
        assertEquals(BillingStatus.INCOMPLETE, repo.find(tenant).orElseThrow().status());
        applier.apply(ds, stripe(unique("evt"), "invoice.payment_action_required", T0.plusSeconds(60),
                invoice(unique("in"), customer, "sub_a", tenant, "subscription_cycle", false)));
        assertEquals(BillingStatus.PAST_DUE, repo.find(tenant).orElseThrow().status());
    }

    @Test
    void firstInvoicePaidDoesNotOverrideTrialing(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        applier.apply(ds, stripe("evt_b", "customer.subscription.created", T0,
                subscription("sub_t", customer, "trialing", tenant, PERIOD_END, "price")));
        ApplyResult paid = applier.apply(ds, stripe("evt_a", "invoice.paid", T0,
                invoice(unique("in"), customer, "sub_t", tenant, "subscription_create", false)));
        assertEquals(Outcome.IGNORED, paid.outcome());
        assertEquals(BillingStatus.TRIALING, new PostgresBillingRepository(ds).find(tenant).orElseThrow().status());
    }

    @Test
    void unresolvableEventIsRecordedThenReplayedWhenCheckoutMapsTheCustomer(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        String eventId = unique("evt");
        ApplyResult early = applier.apply(ds, stripe(eventId, "customer.subscription.created", T0.plusSeconds(1),
                subscription("sub_u", customer, "active", null, PERIOD_END, "price")));
        assertEquals(Outcome.UNRESOLVED, early.outcome());
        assertTrue(repo.unresolvedEvents().stream().anyMatch(u -> u.eventId().equals(eventId)
                && customer.equals(u.customerId())), "recorded, not dropped");
        assertTrue(repo.find(tenant).isEmpty());
        assertTrue(repo.verifySchema().stream().anyMatch(c -> c.checkName().equals("unresolved_events")
                && c.status().equals("WARN")), "reported by the verifier");

        ApplyResult mapped = applier.apply(ds, stripe(unique("evt"), "checkout.session.completed", T0,
                checkoutSession(customer, tenant, null)));
        assertEquals(Outcome.CUSTOMER_MAPPED, mapped.outcome());
        assertTrue(mapped.detail().contains("1 waiting event(s) replayed"), mapped.detail());
        assertEquals(BillingStatus.ACTIVE, repo.find(tenant).orElseThrow().status());
        assertFalse(repo.unresolvedEvents().stream().anyMatch(u -> u.eventId().equals(eventId)));
    }

    @Test
    void unknownEventTypesAreAcknowledgedWithoutEffect(DataSource ds) throws Exception {
        int before = countRows(ds);
        for (String type : List.of("plan.created", "customer.created", "charge.refunded", "")) {
            ObjectNode envelope = Fixtures.JSON.createObjectNode();
            envelope.put("id", unique("evt"));
            envelope.put("type", type.isEmpty() ? "payment_intent.succeeded" : type);
            envelope.put("created", T0.getEpochSecond());
            envelope.putObject("data").putObject("object").put("id", "x");
            ApplyResult result = applier.apply(ds, ProviderEvent.of(BillingProvider.STRIPE, envelope));
            assertEquals(Outcome.IGNORED, result.outcome());
        }
        assertEquals(before, countRows(ds));
    }

    @Test
    void malformedProviderObjectsFailClearlyAndChangeNothing(DataSource ds) throws Exception {
        String tenant = unique("tenant");
        applier.apply(ds, stripe(unique("evt"), "customer.subscription.created", T0,
                subscription("sub_m", unique("cus"), "active", tenant, PERIOD_END, "price")));
        int before = countRows(ds);
        List<ObjectNode> broken = List.of(
                subscription("sub_m", "cus_m", "bogus_status", tenant, PERIOD_END, "price"),
                (ObjectNode) subscription("sub_m", "cus_m", "past_due", tenant, PERIOD_END, "price")
                        .put("current_period_end", "not a number"),
                (ObjectNode) subscription("sub_m", "cus_m", "past_due", tenant, PERIOD_END, "price").put("items", 7),
                subscriptionWithout("status", tenant));
        for (ObjectNode object : broken) {
            BillingException e = assertThrows(BillingException.class, () -> applier.apply(ds,
                    stripe(unique("evt"), "customer.subscription.updated", T0.plusSeconds(60), object)));
            assertEquals(BillingException.Reason.MALFORMED_EVENT, e.reason());
            assertTrue(e.getMessage().startsWith("malformed provider object: Stripe subscription"), e.getMessage());
        }
        ObjectNode noData = Fixtures.JSON.createObjectNode();
        noData.put("id", unique("evt")).put("type", "invoice.paid").put("created", 1L);
        BillingException e = assertThrows(BillingException.class,
                () -> applier.apply(ds, ProviderEvent.of(BillingProvider.STRIPE, noData)));
        assertTrue(e.getMessage().contains("has no 'data' object"), e.getMessage());
        for (String body : List.of("", "not json", "[]", "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}",
                "{\"id\":42,\"type\":\"invoice.paid\",\"created\":1}")) {
            assertEquals(BillingException.Reason.MALFORMED_EVENT, assertThrows(BillingException.class,
                    () -> ProviderEvent.parse(BillingProvider.STRIPE, body)).reason());
        }
        assertEquals(before, countRows(ds));
        assertEquals(BillingStatus.ACTIVE, new PostgresBillingRepository(ds).find(tenant).orElseThrow().status());
    }

    private static ObjectNode subscriptionWithout(String field, String tenant) {
        ObjectNode sub = subscription("sub_m", "cus_m", "active", tenant, PERIOD_END, "price");
        sub.remove(field);
        return sub;
    }

    @Test
    void callerTransactionRollbackUndoesStateAuditAndMapping(DataSource ds) throws Exception {
        String tenant = unique("tenant");
        String customer = unique("cus");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            ApplyResult result = applier.apply(c, stripe(unique("evt"), "customer.subscription.created", T0,
                    subscription("sub_r", customer, "active", tenant, PERIOD_END, "price")));
            assertEquals(Outcome.APPLIED, result.outcome());
            c.rollback(); // e.g. the idempotency completion failed
        }
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        assertTrue(repo.find(tenant).isEmpty());
        assertTrue(repo.auditLog(tenant).isEmpty());
        assertTrue(repo.tenantForCustomer(BillingProvider.STRIPE, customer).isEmpty());

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            applier.apply(c, stripe(unique("evt"), "customer.subscription.created", T0,
                    subscription("sub_r", customer, "active", tenant, PERIOD_END, "price")));
            c.commit();
        }
        assertEquals(BillingStatus.ACTIVE, repo.find(tenant).orElseThrow().status());
        assertEquals(1, repo.auditLog(tenant).size());
    }

    @Test
    void duplicatesAndOlderEventsAreStale(DataSource ds) {
        String tenant = unique("tenant");
        String customer = unique("cus");
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        ProviderEvent newer = stripe("evt_new", "customer.subscription.updated", T0.plusSeconds(100),
                subscription("sub_o", customer, "past_due", tenant, PERIOD_END, "price"));
        assertEquals(Outcome.APPLIED, applier.apply(ds, newer).outcome());
        assertEquals(Outcome.STALE, applier.apply(ds, newer).outcome(), "a duplicate delivery changes nothing");
        assertEquals(Outcome.STALE, applier.apply(ds, stripe("evt_old", "customer.subscription.updated", T0,
                subscription("sub_o", customer, "active", tenant, PERIOD_END, "price"))).outcome());
        assertEquals(BillingStatus.PAST_DUE, repo.find(tenant).orElseThrow().status());
        assertEquals(1, repo.auditLog(tenant).size());
    }

    @Test
    void hugeAndOddTenantIdsAreStoredAsText(DataSource ds) {
        for (String tenant : List.of("0042", "tenant with spaces ünïcödé ✓", "x".repeat(10_000), "'; DROP TABLE x; --")) {
            applier.apply(ds, stripe(unique("evt"), "customer.subscription.created", T0,
                    subscription("sub_h", unique("cus"), "active", tenant, PERIOD_END, "price")));
            assertEquals(BillingStatus.ACTIVE, new PostgresBillingRepository(ds).find(tenant).orElseThrow().status());
        }
    }

    private static int countRows(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM billing.tenant_billing)"
                     + " + (SELECT count(*) FROM billing.audit_log) + (SELECT count(*) FROM billing.customers)"
                     + " + (SELECT count(*) FROM billing.unresolved_events)");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
