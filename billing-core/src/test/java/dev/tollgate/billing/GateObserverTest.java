package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The gate tells its observer every decision it returns, and an observer that throws changes none. */
class GateObserverTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryBillingRepository repo = new InMemoryBillingRepository(clock);

    /** An observer adding every decision to a list. */
    private static GateObserver recordingTo(List<BillingDecision> seen) {
        return new GateObserver() {
            @Override
            public void decided(BillingDecision decision) {
                seen.add(decision);
            }
        };
    }

    @Test
    void everyDecisionIsObservedAsReturned() {
        List<BillingDecision> seen = new CopyOnWriteArrayList<>();
        BillingGate gate = BillingGate.builder().repository(repo).clock(clock).observer(recordingTo(seen)).build();
        repo.put(TenantBilling.of("acme", BillingStatus.PAST_DUE, NOW), "test");
        repo.put(TenantBilling.of("paid", BillingStatus.ACTIVE, NOW), "test");
        BillingDecision denied = gate.check("acme", OperationClass.WRITE);
        BillingDecision allowed = gate.check("paid", OperationClass.WRITE);
        gate.setPurchasesEnabled(false);
        BillingDecision killSwitch = gate.check("paid", OperationClass.PURCHASE);
        gate.setEnforcementMode(EnforcementMode.REPORT_ONLY);
        BillingDecision reported = gate.check("acme", OperationClass.WRITE);
        assertEquals(List.of(denied, allowed, killSwitch, reported), seen);
        assertEquals(402, denied.httpStatus());
        assertEquals(BillingStatus.PAST_DUE, seen.get(0).billingStatus());
        assertTrue(seen.get(3).allowed() && seen.get(3).wouldDeny());
    }

    @Test
    void enforceIsObservedOnceAndStillThrows() {
        List<BillingDecision> seen = new CopyOnWriteArrayList<>();
        BillingGate gate = BillingGate.builder().repository(repo).clock(clock).observer(recordingTo(seen)).build();
        repo.put(TenantBilling.of("acme", BillingStatus.UNPAID, NOW), "test");
        PaymentRequiredException e = org.junit.jupiter.api.Assertions.assertThrows(PaymentRequiredException.class,
                () -> gate.enforce("acme", OperationClass.WRITE));
        assertEquals(1, seen.size());
        assertFalse(seen.get(0).allowed());
        assertEquals(402, e.decision().httpStatus());
    }

    @Test
    void anObserverThatThrowsChangesNoDecision() {
        repo.put(TenantBilling.of("acme", BillingStatus.PAST_DUE, NOW), "test");
        BillingGate throwing = BillingGate.builder().repository(repo).clock(clock).observer(new GateObserver() {
            @Override
            public void decided(BillingDecision decision) {
                throw new IllegalStateException("observer bug");
            }
        }).build();
        BillingGate plain = BillingGate.builder().repository(repo).clock(clock).build();
        assertEquals(plain.check("acme", OperationClass.WRITE), throwing.check("acme", OperationClass.WRITE));
        assertEquals(plain.check("acme", OperationClass.READ), throwing.check("acme", OperationClass.READ));
    }
}
