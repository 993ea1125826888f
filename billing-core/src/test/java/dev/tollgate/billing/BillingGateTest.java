package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BillingGateTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryBillingRepository repo = new InMemoryBillingRepository(clock);

    private BillingGate gate() {
        return BillingGate.builder().repository(repo).clock(clock).build();
    }

    @Test
    void pastDueWriteAnswers402WithTheExactBodyAndReadsStayAllowed() {
        repo.put(TenantBilling.of("acme", BillingStatus.PAST_DUE, NOW), "test");
        BillingGate gate = gate();
        BillingDecision write = gate.check("acme", OperationClass.WRITE);
        assertFalse(write.allowed());
        assertEquals(402, write.httpStatus());
        DenialResponse response = DenialResponse.json(write);
        assertEquals(402, response.status());
        assertEquals("application/json", response.contentType());
        assertEquals("{\"error\":\"subscription_required\",\"message\":\"Payment overdue. Please update your payment"
                + " method.\",\"billing_status\":\"past_due\"}", response.body());
        assertTrue(gate.check("acme", OperationClass.READ).allowed());
        PaymentRequiredException e = assertThrows(PaymentRequiredException.class,
                () -> gate.enforce("acme", OperationClass.WRITE));
        assertEquals(402, e.httpStatus());
        assertEquals(BillingException.Reason.PAYMENT_REQUIRED, e.reason());
        assertFalse(e.getMessage().contains("acme"), "no tenant in the message");

        repo.put(TenantBilling.of("acme", BillingStatus.ACTIVE, NOW), "test"); // invalidates the cache
        assertTrue(gate.enforce("acme", OperationClass.WRITE).allowed());
    }

    @Test
    void problemJsonCarriesTheSameFieldsAsExtensions() throws Exception {
        repo.put(TenantBilling.of("acme", BillingStatus.CANCELED, NOW), "test");
        DenialResponse problem = DenialResponse.problem(gate().check("acme", OperationClass.WRITE), "/api/projects");
        assertEquals("application/problem+json", problem.contentType());
        JsonNode body = Fixtures.JSON.readTree(problem.body());
        assertEquals(DenialResponse.SUBSCRIPTION_REQUIRED_TYPE, body.get("type").asText());
        assertEquals(402, body.get("status").asInt());
        assertEquals("Subscription canceled. Please resubscribe.", body.get("detail").asText());
        assertEquals("/api/projects", body.get("instance").asText());
        assertEquals("subscription_required", body.get("error").asText());
        assertEquals("canceled", body.get("billing_status").asText());
        assertThrows(IllegalArgumentException.class,
                () -> DenialResponse.json(gate().check("acme", OperationClass.READ)));
    }

    @Test
    void unknownTenantHasNoSubscription() {
        BillingGate gate = gate();
        BillingDecision write = gate.check("never-seen", OperationClass.WRITE);
        assertFalse(write.allowed());
        assertEquals(BillingStatus.NONE, write.billingStatus());
        assertEquals("{\"error\":\"subscription_required\",\"message\":\"No active subscription. Please subscribe.\","
                + "\"billing_status\":\"none\"}", write.jsonBody());
        assertTrue(gate.check("never-seen", OperationClass.READ).allowed());
        assertTrue(gate.check("never-seen", OperationClass.PURCHASE).allowed());
    }

    @Test
    void reportOnlyAllowsButCountsAndEnforcementSwitchesAtRuntime() {
        repo.put(TenantBilling.of("acme", BillingStatus.UNPAID, NOW), "test");
        BillingGate gate = BillingGate.builder().repository(repo).clock(clock)
                .enforcement(EnforcementMode.REPORT_ONLY).build();
        BillingDecision reported = gate.check("acme", OperationClass.WRITE);
        assertTrue(reported.allowed());
        assertTrue(reported.wouldDeny());
        assertEquals(BillingDecision.Reason.REPORT_ONLY, reported.reason());
        assertEquals(1, gate.status().reportedDenials());
        gate.setEnforcementMode(EnforcementMode.ON);
        assertFalse(gate.check("acme", OperationClass.WRITE).allowed());
        gate.setEnforcementMode(EnforcementMode.OFF);
        BillingDecision off = gate.check("acme", OperationClass.WRITE);
        assertTrue(off.allowed());
        assertEquals(BillingDecision.Reason.ENFORCEMENT_OFF, off.reason());
        assertEquals(EnforcementMode.OFF, gate.status().enforcement());
    }

    @Test
    void environmentOverridesConfigurationAndBadValuesAreAllReported() {
        BillingGate gate = BillingGate.builder().repository(repo).enforcement(EnforcementMode.ON)
                .environment(Map.of("TOLLGATE_BILLING_ENFORCEMENT", "Report-Only", "TOLLGATE_PURCHASES_ENABLED", "false"))
                .build();
        assertEquals(EnforcementMode.REPORT_ONLY, gate.enforcementMode());
        assertFalse(gate.purchasesEnabled());
        assertFalse(gate.status().purchasesEnabled(), "visible in health");
        BillingException e = assertThrows(BillingException.class, () -> BillingGate.builder()
                .cacheTtl(Duration.ZERO)
                .environment(Map.of("TOLLGATE_BILLING_ENFORCEMENT", "maybe", "TOLLGATE_PURCHASES_ENABLED", "nope"))
                .build());
        for (String part : List.of("repository is required", "cacheTtl must be between 1 ms and 1 h, but was PT0S",
                "must be on, off or report-only, but was 'maybe'", "TOLLGATE_PURCHASES_ENABLED must be true or false,"
                        + " but was 'nope'")) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " lacks " + part);
        }
        assertEquals(EnforcementMode.OFF, EnforcementMode.fromEnvironment(Map.of(), EnforcementMode.OFF));
    }

    @Test
    void purchasesKillSwitchAnswers503WhateverTheStatusOrMode() {
        repo.put(TenantBilling.of("acme", BillingStatus.ACTIVE, NOW), "test");
        BillingGate gate = gate();
        assertTrue(gate.check("acme", OperationClass.PURCHASE).allowed());
        gate.setPurchasesEnabled(false);
        for (EnforcementMode mode : EnforcementMode.values()) {
            gate.setEnforcementMode(mode);
            BillingDecision purchase = gate.check("acme", OperationClass.PURCHASE);
            assertFalse(purchase.allowed(), mode.name());
            assertEquals(503, purchase.httpStatus());
            assertEquals("{\"error\":\"purchases_disabled\",\"message\":\"Purchases temporarily unavailable\"}",
                    DenialResponse.json(purchase).body());
            assertEquals(503, DenialResponse.json(purchase).status());
            assertTrue(gate.check("acme", OperationClass.WRITE).allowed(), "other operations are untouched");
        }
        PaymentRequiredException e = assertThrows(PaymentRequiredException.class,
                () -> gate.enforce("acme", OperationClass.PURCHASE));
        assertEquals(BillingException.Reason.PURCHASES_DISABLED, e.reason());
        gate.setPurchasesEnabled(true);
        assertTrue(gate.check("acme", OperationClass.PURCHASE).allowed());
    }

    @Test
    void cachedDecisionIsTheSameInstanceAndAllocatesNothing() {
        repo.put(TenantBilling.of("acme", BillingStatus.PAST_DUE, NOW), "test");
        BillingGate gate = BillingGate.builder().repository(repo).clock(Clock.systemUTC())
                .cacheTtl(Duration.ofHours(1)).build();
        BillingDecision first = gate.check("acme", OperationClass.WRITE);
        assertSame(first, gate.check("acme", OperationClass.WRITE));
        com.sun.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean t ? t : null;
        Assumptions.assumeTrue(threads != null && threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long id = Thread.currentThread().getId();
        int allowed = 0;
        for (int warm = 0; warm < 200_000; warm++) {
            allowed += gate.check("acme", OperationClass.READ).allowed() ? 1 : 0;
            allowed += gate.check("acme", OperationClass.WRITE).allowed() ? 1 : 0;
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            allowed += gate.check("acme", OperationClass.READ).allowed() ? 1 : 0;
            allowed += gate.check("acme", OperationClass.WRITE).allowed() ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(300_000, allowed);
        // 200,000 cached checks; a single allocation per check would be >= 3 MB.
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for 200,000 cached checks");
    }

    @Test
    void stateChangeIsSeenAfterTheTtlWhenNobodyInvalidates() {
        PostgresLikeRepository slow = new PostgresLikeRepository();
        slow.state = TenantBilling.of("acme", BillingStatus.PAST_DUE, NOW);
        BillingGate gate = BillingGate.builder().repository(slow).clock(clock).cacheTtl(Duration.ofSeconds(5)).build();
        assertFalse(gate.check("acme", OperationClass.WRITE).allowed());
        slow.state = TenantBilling.of("acme", BillingStatus.ACTIVE, NOW);
        clock.advance(Duration.ofMillis(4_999));
        assertFalse(gate.check("acme", OperationClass.WRITE).allowed(), "still cached");
        clock.advance(Duration.ofMillis(1));
        assertTrue(gate.check("acme", OperationClass.WRITE).allowed(), "TTL over");
        assertEquals(2, slow.reads);
    }

    @Test
    void storeFailureServesTheLastKnownStateElseFailsOpen() {
        PostgresLikeRepository flaky = new PostgresLikeRepository();
        flaky.state = TenantBilling.of("acme", BillingStatus.PAST_DUE, NOW);
        BillingGate gate = BillingGate.builder().repository(flaky).clock(clock).cacheTtl(Duration.ofSeconds(5)).build();
        assertFalse(gate.check("acme", OperationClass.WRITE).allowed());
        flaky.down = true;
        clock.advance(Duration.ofSeconds(6));
        assertFalse(gate.check("acme", OperationClass.WRITE).allowed(), "last known state");
        BillingDecision unknown = gate.check("other", OperationClass.WRITE);
        assertTrue(unknown.allowed());
        assertEquals(BillingDecision.Reason.STATE_UNAVAILABLE, unknown.reason());
        assertNull(unknown.billingStatus());
    }

    @Test
    void entitlementsSnapshot() throws Exception {
        Instant periodEnd = NOW.plus(Duration.ofDays(20));
        repo.put(TenantBilling.of("acme", BillingStatus.ACTIVE, NOW).withCurrentPeriodEnd(periodEnd)
                .withEntitlements(List.of("pro_access", "exports")), "test");
        EntitlementsSnapshot snapshot = gate().entitlements("acme");
        assertEquals("{\"entitlements\":{\"exports\":{\"active\":true,\"expires_at\":\"2026-12-13T12:00:00Z\"},"
                + "\"pro_access\":{\"active\":true,\"expires_at\":\"2026-12-13T12:00:00Z\"}},"
                + "\"billing_status\":\"active\",\"server_time\":\"2026-11-23T12:00:00Z\",\"ttl_seconds\":10}",
                snapshot.toJson());
        repo.put(TenantBilling.of("acme", BillingStatus.UNPAID, NOW).withEntitlements(List.of("pro_access")), "test");
        JsonNode unpaid = Fixtures.JSON.readTree(gate().entitlements("acme").toJson());
        assertFalse(unpaid.at("/entitlements/pro_access/active").asBoolean());
        assertEquals("unpaid", unpaid.get("billing_status").asText());
    }

    /** A repository standing in for one that does not announce changes (and can fail). */
    private static final class PostgresLikeRepository implements BillingRepository {
        volatile TenantBilling state;
        volatile boolean down;
        int reads;

        @Override
        public java.util.Optional<TenantBilling> find(String tenantId) {
            if (down) {
                throw new BillingException(BillingException.Reason.STORE_FAILURE, "database down");
            }
            reads++;
            return tenantId.equals(state.tenantId()) ? java.util.Optional.of(state) : java.util.Optional.empty();
        }

        @Override
        public List<AuditEntry> auditLog(String tenantId) {
            return List.of();
        }

        @Override
        public List<UnresolvedEvent> unresolvedEvents() {
            return List.of();
        }

        @Override
        public java.util.Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<String> customerOf(BillingProvider provider, String tenantId) {
            return java.util.Optional.empty();
        }
    }
}
