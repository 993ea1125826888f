package dev.tollgate.billing;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the gate's denials take effect.
 */
public enum EnforcementMode {
    /** Denials are enforced (402). */
    ON,
    /** The gate allows everything without looking at billing state. */
    OFF,
    /** The gate decides, logs and counts each denial, but allows the operation: for a safe roll-out. */
    REPORT_ONLY;

    /** The environment variable that sets the mode: {@code on}, {@code off} or {@code report-only}. */
    public static final String ENVIRONMENT_VARIABLE = "TOLLGATE_BILLING_ENFORCEMENT";

    /**
     * Parses a configuration value: {@code on}, {@code off}, {@code report-only} (or {@code report_only}),
     * case-insensitive.
     *
     * @param value the value
     * @return the mode
     * @throws BillingException with {@link BillingException.Reason#INVALID_CONFIGURATION} for anything else
     */
    public static EnforcementMode parse(String value) {
        Objects.requireNonNull(value, "value");
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on":
                return ON;
            case "off":
                return OFF;
            case "report-only":
            case "report_only":
                return REPORT_ONLY;
            default:
                throw new BillingException(BillingException.Reason.INVALID_CONFIGURATION,
                        "billing enforcement must be on, off or report-only, but was '"
                                + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
    }

    /**
     * The mode named by {@value #ENVIRONMENT_VARIABLE} in {@code environment}, else {@code fallback}.
     *
     * @param environment the environment, usually {@code System.getenv()}
     * @param fallback the mode when the variable is not set or blank
     * @return the mode
     * @throws BillingException if the variable holds an invalid value
     */
    public static EnforcementMode fromEnvironment(Map<String, String> environment, EnforcementMode fallback) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(fallback, "fallback");
        String value = environment.get(ENVIRONMENT_VARIABLE);
        return value == null || value.isBlank() ? fallback : parse(value);
    }

    /**
     * The configuration spelling: {@code on}, {@code off} or {@code report-only}.
     *
     * @return the name
     */
    public String configName() {
        return this == REPORT_ONLY ? "report-only" : name().toLowerCase(Locale.ROOT);
    }
}
