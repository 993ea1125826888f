package dev.tollgate.billing;

import dev.tollgate.TollgateException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A billing operation failed. {@link #reason()} says why in a form callers can map to a response
 * without parsing the message.
 */
public class BillingException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why a billing operation failed. */
    public enum Reason {
        /** A provider event or object lacks a required field or has one of the wrong type. */
        MALFORMED_EVENT,
        /** The billing tables could not be read or written. */
        STORE_FAILURE,
        /** The provider's API could not be reached or answered with an error during reconciliation. */
        PROVIDER_UNAVAILABLE,
        /** The tenant has nothing to reconcile with (no customer or subscriber known). */
        NOTHING_TO_RECONCILE,
        /** A configuration value is invalid. */
        INVALID_CONFIGURATION,
        /** The billing gate denied the operation (see {@link PaymentRequiredException}). */
        PAYMENT_REQUIRED,
        /** Purchases are switched off by the kill switch (see {@link PaymentRequiredException}). */
        PURCHASES_DISABLED
    }

    /** The machine-readable reason. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the machine-readable reason
     * @param message what failed and what to do about it; no secrets or personal data
     */
    public BillingException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason the machine-readable reason
     * @param message what failed and what to do about it; no secrets or personal data
     * @param cause the underlying failure
     */
    public BillingException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * The machine-readable reason.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
