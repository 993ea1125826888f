package dev.tollgate.billing;

import java.util.Locale;
import java.util.Objects;

/**
 * What the {@link BillingGate} does when a tenant's billing state cannot be read (the database is down or hangs)
 * and it has no cached state for that tenant, not even an expired one.
 */
public enum FailMode {

    /**
     * Allow (the default): a database hiccup must not lock paying customers out; unpaid writes may slip through
     * for as long as it lasts. The decision's reason is {@link BillingDecision.Reason#STATE_UNAVAILABLE}.
     */
    OPEN,

    /**
     * Refuse with 503 {@code {"error":"billing_unavailable",…}} (retry later), for services where an unpaid write
     * costs more than a failed request. In report-only mode the refusal is only reported.
     */
    CLOSED;

    /**
     * Reads {@code open} or {@code closed}, in any case.
     *
     * @param value the setting
     * @return the mode
     * @throws IllegalArgumentException naming the accepted values
     */
    public static FailMode fromConfig(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "open" -> OPEN;
            case "closed" -> CLOSED;
            default -> throw new IllegalArgumentException("fail mode must be open or closed, but was '"
                    + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        };
    }
}
