package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatingPolicyTest {

    private static final Instant SINCE = Instant.parse("2026-11-01T00:00:00Z");
    private static final OperationClass EXPORT = OperationClass.of("export");
    private static final OperationClass REPORTS = OperationClass.of("view_reports");

    private final MutableClock clock = new MutableClock(SINCE);
    private final InMemoryBillingRepository repo = new InMemoryBillingRepository(clock);

    private static long at(Duration elapsed) {
        return SINCE.plus(elapsed).toEpochMilli();
    }

    @Test
    void defaultsMatchTheRunbook() {
        GatingPolicy policy = GatingPolicy.defaults();
        for (BillingStatus status : BillingStatus.values()) {
            TenantBilling state = TenantBilling.of("t", status, SINCE);
            boolean paying = status == BillingStatus.ACTIVE || status == BillingStatus.TRIALING;
            long now = at(Duration.ofDays(1));
            assertTrue(policy.decide(state, OperationClass.READ, now).allowed(), status + " read");
            assertEquals(paying, policy.decide(state, OperationClass.WRITE, now).allowed(), status + " write");
            assertEquals(paying, policy.decide(state, EXPORT, now).allowed(), status + " user-named class = write");
            assertTrue(policy.decide(state, OperationClass.PURCHASE, now).allowed(), status + " purchase");
        }
        assertEquals("Payment overdue. Please update your payment method.", policy.message(BillingStatus.PAST_DUE));
        assertEquals("Subscription canceled. Please resubscribe.", policy.message(BillingStatus.CANCELED));
    }

    @Test
    void graceAndLadderBoundariesAreExactToTheMillisecondOnACachedState() {
        GatingPolicy policy = GatingPolicy.builder()
                .grace(BillingStatus.PAST_DUE, Duration.ofDays(3))
                .after(BillingStatus.PAST_DUE, Duration.ofDays(14), Access.NONE)
                .build();
        repo.put(TenantBilling.of("t", BillingStatus.PAST_DUE, SINCE), "test");
        BillingGate gate = BillingGate.builder().repository(repo).policy(policy).clock(clock)
                .cacheTtl(Duration.ofHours(1)).build();
        Duration ms = Duration.ofMillis(1);

        clock.set(SINCE);
        BillingDecision inGrace = gate.check("t", OperationClass.WRITE);
        assertTrue(inGrace.allowed());
        assertEquals(BillingDecision.Reason.GRACE_PERIOD, inGrace.reason());
        clock.set(SINCE.plus(Duration.ofDays(3)).minus(ms));
        assertTrue(gate.check("t", OperationClass.WRITE).allowed(), "last millisecond of grace");
        clock.set(SINCE.plus(Duration.ofDays(3)));
        assertFalse(gate.check("t", OperationClass.WRITE).allowed(), "grace over");
        assertTrue(gate.check("t", OperationClass.READ).allowed(), "read-only rung");
        clock.set(SINCE.plus(Duration.ofDays(14)).minus(ms));
        assertTrue(gate.check("t", OperationClass.READ).allowed());
        clock.set(SINCE.plus(Duration.ofDays(14)));
        assertFalse(gate.check("t", OperationClass.READ).allowed(), "after 14 days nothing");
        assertTrue(gate.check("t", OperationClass.PURCHASE).allowed(), "but the tenant can still pay");
        assertEquals(1, gate.status().cachedTenants(), "all of it from one cached entry");
    }

    @Test
    void canceledKeepsAccessUntilThePaidPeriodEnds() {
        Instant periodEnd = SINCE.plus(Duration.ofDays(10));
        TenantBilling canceled = TenantBilling.of("t", BillingStatus.CANCELED, SINCE).withCurrentPeriodEnd(periodEnd);
        GatingPolicy policy = GatingPolicy.defaults();
        BillingDecision before = policy.decide(canceled, OperationClass.WRITE, periodEnd.toEpochMilli() - 1);
        assertTrue(before.allowed());
        assertEquals(BillingDecision.Reason.PAID_PERIOD, before.reason());
        BillingDecision after = policy.decide(canceled, OperationClass.WRITE, periodEnd.toEpochMilli());
        assertFalse(after.allowed());
        assertEquals("Subscription canceled. Please resubscribe.", after.message());
        GatingPolicy strict = GatingPolicy.builder().keepAccessUntilPeriodEnd().build();
        assertFalse(strict.decide(canceled, OperationClass.WRITE, SINCE.toEpochMilli()).allowed());
    }

    @Test
    void providerGraceAllowsUntilItEnds() {
        Instant graceEnd = SINCE.plus(Duration.ofDays(16));
        TenantBilling pastDue = TenantBilling.of("t", BillingStatus.PAST_DUE, SINCE).withGraceUntil(graceEnd);
        assertTrue(GatingPolicy.defaults().decide(pastDue, OperationClass.WRITE, graceEnd.toEpochMilli() - 1).allowed());
        assertFalse(GatingPolicy.defaults().decide(pastDue, OperationClass.WRITE, graceEnd.toEpochMilli()).allowed());
    }

    @Test
    void userNamedClassesAndExplicitRules() {
        GatingPolicy policy = GatingPolicy.builder()
                .treatAsRead(REPORTS)
                .deny(BillingStatus.PAST_DUE, OperationClass.READ)
                .allow(BillingStatus.UNPAID, EXPORT)
                .access(BillingStatus.NONE, Access.NONE)
                .message(BillingStatus.NONE, "Choose a plan to continue.")
                .build();
        long now = at(Duration.ofDays(1));
        assertTrue(policy.decide(TenantBilling.of("t", BillingStatus.CANCELED, SINCE), REPORTS, now).allowed());
        assertFalse(policy.decide(TenantBilling.of("t", BillingStatus.CANCELED, SINCE), EXPORT, now).allowed());
        assertFalse(policy.decide(TenantBilling.of("t", BillingStatus.PAST_DUE, SINCE), OperationClass.READ, now)
                .allowed());
        assertTrue(policy.decide(TenantBilling.of("t", BillingStatus.UNPAID, SINCE), EXPORT, now).allowed());
        BillingDecision none = policy.decide(TenantBilling.none("t"), OperationClass.READ, now);
        assertFalse(none.allowed());
        assertEquals("Choose a plan to continue.", none.message());
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        BillingException e = assertThrows(BillingException.class, () -> GatingPolicy.builder()
                .grace(BillingStatus.PAST_DUE, Duration.ofSeconds(-1))
                .after(BillingStatus.UNPAID, Duration.ZERO, Access.NONE)
                .allow(BillingStatus.PAUSED, EXPORT)
                .deny(BillingStatus.PAUSED, EXPORT)
                .treatAsRead(OperationClass.WRITE)
                .message(BillingStatus.NONE, " ")
                .build());
        assertEquals(BillingException.Reason.INVALID_CONFIGURATION, e.reason());
        for (String part : List.of("grace(past_due, …) needs a positive duration, but was PT-1S",
                "after(unpaid, …) needs a positive duration", "export is both allowed and denied in paused",
                "write cannot be treated as a read", "the message for none must not be blank")) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " lacks " + part);
        }
        BillingException inside = assertThrows(BillingException.class, () -> GatingPolicy.builder()
                .grace(BillingStatus.PAST_DUE, Duration.ofDays(3))
                .after(BillingStatus.PAST_DUE, Duration.ofDays(1), Access.NONE).build());
        assertTrue(inside.getMessage().contains("falls inside its grace period"), inside.getMessage());
    }

    @Test
    void operationClassNamesAreValidatedAndInterned() {
        assertTrue(OperationClass.of("export") == EXPORT);
        for (String bad : List.of("", "Export", "1x", "with space", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> OperationClass.of(bad), bad);
        }
    }
}
