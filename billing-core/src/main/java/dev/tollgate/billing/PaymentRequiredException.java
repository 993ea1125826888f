package dev.tollgate.billing;

import java.util.Objects;

/**
 * Thrown by {@link BillingGate#enforce(String, OperationClass)} when the gate denies an operation.
 * Map it to {@link #httpStatus()} (402, or 503 for the purchases kill switch) with
 * {@link DenialResponse#json(BillingDecision)} as the body. The message is the user-facing one; it
 * names no tenant.
 */
public final class PaymentRequiredException extends BillingException {

    private static final long serialVersionUID = 1L;

    private final transient BillingDecision decision;

    /**
     * Creates the exception.
     *
     * @param decision the denial
     */
    public PaymentRequiredException(BillingDecision decision) {
        super(Objects.requireNonNull(decision, "decision").reason() == BillingDecision.Reason.PURCHASES_DISABLED
                ? Reason.PURCHASES_DISABLED : Reason.PAYMENT_REQUIRED, decision.message());
        this.decision = decision;
    }

    /**
     * The denial.
     *
     * @return the decision
     */
    public BillingDecision decision() {
        return decision;
    }

    /**
     * The HTTP status to answer with.
     *
     * @return 402, or 503 for the purchases kill switch
     */
    public int httpStatus() {
        return decision.httpStatus();
    }
}
