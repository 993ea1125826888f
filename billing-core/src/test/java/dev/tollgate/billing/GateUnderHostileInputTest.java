package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The gate when clients invent tenant ids and when the billing state cannot be read: its cache stays within its
 * bound, and its fail mode decides, open or closed.
 */
class GateUnderHostileInputTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));

    @Test
    void aMillionInventedTenantIdsKeepTheCacheAtItsBoundAndAPayingTenantStaysAllowed() {
        InMemoryBillingRepository repository = new InMemoryBillingRepository(clock);
        repository.put(TenantBilling.none("paying").withStatus(BillingStatus.ACTIVE, clock.instant()), "test");
        BillingGate gate = BillingGate.builder().repository(repository).clock(clock).cacheMaximumSize(1_000).build();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1_000_000; i++) {
            gate.check(Long.toHexString(random.nextLong()), OperationClass.WRITE);
            if (i % 1_000 == 0) {
                assertTrue(gate.check("paying", OperationClass.WRITE).allowed());
            }
        }
        GateStatus status = gate.status();
        assertTrue(status.cachedTenants() <= 1_000, "bounded: " + status.cachedTenants());
        assertTrue(status.cacheEvictions() >= 999_000 - 1_000, "evicted: " + status.cacheEvictions());
        assertEquals(1_000, status.cacheMaximumSize());
        assertTrue(gate.check("paying", OperationClass.WRITE).allowed());
    }

    @Test
    void failOpenAllowsFailClosedAnswers503AndBothServeTheLastKnownState() {
        AtomicBoolean down = new AtomicBoolean(false);
        InMemoryBillingRepository real = new InMemoryBillingRepository(clock);
        real.put(TenantBilling.none("known").withStatus(BillingStatus.PAST_DUE, clock.instant()), "test");
        BillingRepository flaky = new WatchedRepository(real, new AtomicBoolean(), down);
        for (FailMode mode : FailMode.values()) {
            down.set(false);
            BillingGate gate = BillingGate.builder().repository(flaky).clock(clock).failMode(mode)
                    .cacheTtl(Duration.ofSeconds(5)).build();
            assertFalse(gate.check("known", OperationClass.WRITE).allowed());
            down.set(true);
            clock.advance(Duration.ofSeconds(6));
            assertEquals(402, gate.check("known", OperationClass.WRITE).httpStatus(), mode + ": the last known state");

            BillingDecision unknown = gate.check("unknown", OperationClass.WRITE);
            assertEquals(BillingDecision.Reason.STATE_UNAVAILABLE, unknown.reason());
            if (mode == FailMode.OPEN) {
                assertTrue(unknown.allowed());
                assertEquals(200, unknown.httpStatus());
            } else {
                assertFalse(unknown.allowed());
                assertEquals(503, unknown.httpStatus());
                assertEquals("{\"error\":\"billing_unavailable\",\"message\":\"Billing status temporarily unavailable."
                        + " Please retry.\"}", DenialResponse.json(unknown).body());
                assertEquals(503, DenialResponse.json(unknown).status());
                assertTrue(DenialResponse.problem(unknown, "/api/projects").body()
                        .contains("\"type\":\"" + DenialResponse.BILLING_UNAVAILABLE_TYPE + "\""));
                gate.setEnforcementMode(EnforcementMode.REPORT_ONLY);
                BillingDecision reported = gate.check("unknown", OperationClass.WRITE);
                assertTrue(reported.allowed() && reported.wouldDeny(), "report-only reports the refusal");
                assertEquals(FailMode.CLOSED, gate.status().failMode());
            }
        }
    }

    @Test
    void overLongAndControlCharacterTenantIdsAre400WithoutALookup() {
        AtomicBoolean looked = new AtomicBoolean();
        InMemoryBillingRepository real = new InMemoryBillingRepository(clock);
        BillingGate gate = BillingGate.builder().repository(new WatchedRepository(real, looked, new AtomicBoolean()))
                .clock(clock).build();
        for (String invalid : List.of("t".repeat(256), "tenant\nX-Injected: 1", "tab\tbed", "nul\u0000", "")) {
            BillingDecision decision = gate.check(invalid, OperationClass.READ);
            assertFalse(decision.allowed(), invalid);
            assertEquals(400, decision.httpStatus());
            assertEquals(BillingDecision.Reason.TENANT_INVALID, decision.reason());
            assertEquals(400, DenialResponse.json(decision).status());
            assertTrue(DenialResponse.json(decision).body().startsWith("{\"error\":\"tenant_invalid\""));
        }
        assertFalse(looked.get(), "never looked up");
        assertEquals(0, gate.status().cachedTenants(), "never cached");
        assertTrue(gate.check("t".repeat(255), OperationClass.READ).allowed(), "255 characters are fine");
        assertTrue(gate.check("tenant-ü-\u6F22-\uD83D\uDE00", OperationClass.READ).allowed(), "any printable text");
    }

    /** A repository that remembers that it was asked, and fails as a database that is down while {@code down}. */
    private record WatchedRepository(InMemoryBillingRepository real, AtomicBoolean looked, AtomicBoolean down)
            implements BillingRepository {

        @Override
        public Optional<TenantBilling> find(String tenantId) {
            looked.set(true);
            if (down.get()) {
                throw new BillingException(BillingException.Reason.STORE_FAILURE, "database down (test)");
            }
            return real.find(tenantId);
        }

        @Override
        public List<AuditEntry> auditLog(String tenantId) {
            return real.auditLog(tenantId);
        }

        @Override
        public List<UnresolvedEvent> unresolvedEvents() {
            return real.unresolvedEvents();
        }

        @Override
        public Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
            return real.tenantForCustomer(provider, customerId);
        }

        @Override
        public Optional<String> customerOf(BillingProvider provider, String tenantId) {
            return real.customerOf(provider, tenantId);
        }
    }

    @Test
    void theFailModeReadsOpenOrClosedAndTheBoundIsChecked() {
        assertEquals(FailMode.CLOSED, FailMode.fromConfig(" Closed "));
        assertThrows(IllegalArgumentException.class, () -> FailMode.fromConfig("shut"));
        BillingException e = assertThrows(BillingException.class, () -> BillingGate.builder()
                .repository(new InMemoryBillingRepository(clock)).cacheMaximumSize(0).build());
        assertTrue(e.getMessage().contains("cacheMaximumSize must be at least 1, but was 0"), e.getMessage());
    }
}
