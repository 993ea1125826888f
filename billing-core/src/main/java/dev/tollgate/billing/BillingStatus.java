package dev.tollgate.billing;

import java.util.Locale;
import java.util.Objects;

/**
 * A tenant's billing status: every Stripe subscription status, plus {@link #NONE} for a tenant that
 * has no subscription. RevenueCat events are mapped onto the same statuses.
 */
public enum BillingStatus {
    /** In a free trial. */
    TRIALING("trialing"),
    /** Paid and current. */
    ACTIVE("active"),
    /** The first payment has not succeeded yet. */
    INCOMPLETE("incomplete"),
    /** The first payment never succeeded; the subscription expired. */
    INCOMPLETE_EXPIRED("incomplete_expired"),
    /** A renewal payment failed; the provider is retrying. */
    PAST_DUE("past_due"),
    /** Retries are exhausted and the invoice stays open. */
    UNPAID("unpaid"),
    /** The subscription was canceled (access may last until the paid period ends). */
    CANCELED("canceled"),
    /** The subscription is paused. */
    PAUSED("paused"),
    /** The tenant has no subscription. */
    NONE("none");

    private final String wireName;

    BillingStatus(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used by Stripe, in JSON bodies and in {@code billing.tenant_billing.status}.
     *
     * @return the wire name, such as {@code past_due}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name, case-insensitively.
     *
     * @param wireName a name such as {@code past_due}
     * @return the status
     * @throws IllegalArgumentException if the name is not a known status
     */
    public static BillingStatus fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        String name = wireName.trim().toLowerCase(Locale.ROOT);
        for (BillingStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown billing status '" + wireName
                + "': expected one of trialing, active, incomplete, incomplete_expired, past_due, unpaid,"
                + " canceled, paused, none");
    }
}
