package dev.tollgate.billing;

/**
 * Told every decision of a {@link BillingGate}, for metrics; register one with
 * {@link BillingGate.Builder#observer}. The method has an empty default, so implementations keep compiling
 * when methods are added. The health module's {@code MicrometerGateObserver} is the usual implementation.
 *
 * <p>Calls are made on the thread that asked the gate, after the decision is made; they must be quick. An
 * observer that throws is caught and logged: the caller still gets its decision. The decision carries the
 * billing status and operation, never the tenant id: do not look the tenant up to tag metrics with it.
 */
public interface GateObserver {

    /** An observer that does nothing (the default). */
    GateObserver NONE = new GateObserver() {
    };

    /**
     * The gate decided; in report-only mode a would-be denial arrives allowed with
     * {@link BillingDecision#wouldDeny()} true.
     *
     * @param decision the decision returned to the caller
     */
    default void decided(BillingDecision decision) {
    }
}
