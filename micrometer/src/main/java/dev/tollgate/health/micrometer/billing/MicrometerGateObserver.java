package dev.tollgate.health.micrometer.billing;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.GateObserver;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts billing gate decisions as {@value TollgateMeters#GATE_DECISIONS} with tags {@code outcome}
 * ({@code allowed}, {@code blocked} — answered 402, or 503 for the purchases kill switch — and
 * {@code report_only} for a denial that report-only mode let through) and {@code status} (the tenant's billing
 * status, {@code none} when unknown). Never the tenant id.
 *
 * <pre>{@code
 * BillingGate gate = BillingGate.builder().repository(repository)
 *         .observer(new MicrometerGateObserver(meterRegistry)).build();
 * }</pre>
 */
public final class MicrometerGateObserver implements GateObserver {

    private final MeterRegistry registry;

    /**
     * An observer publishing to a registry.
     *
     * @param registry the registry
     */
    public MicrometerGateObserver(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts the decision by outcome and billing status. */
    @Override
    public void decided(BillingDecision decision) {
        String outcome = !decision.allowed() ? "blocked" : decision.wouldDeny() ? "report_only" : "allowed";
        BillingStatus status = decision.billingStatus();
        Counter.builder(TollgateMeters.GATE_DECISIONS)
                .description("billing gate decisions; blocked ones answered HTTP 402")
                .tag(TollgateMeters.TAG_OUTCOME, outcome)
                .tag(TollgateMeters.TAG_STATUS, status == null ? "none" : status.wireName())
                .register(registry).increment();
    }

    @Override
    public String toString() {
        return "MicrometerGateObserver[" + registry.getClass().getSimpleName() + "]";
    }
}
