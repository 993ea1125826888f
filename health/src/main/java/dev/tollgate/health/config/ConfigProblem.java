package dev.tollgate.health.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration. The message names the variable and the fix, and shows a
 * value only masked.
 *
 * @param setting the setting concerned
 * @param reason the machine-readable reason
 * @param message what is wrong and what to do, safe to log
 */
public record ConfigProblem(ConfigSetting setting, Reason reason, String message) {

    /**
     * Checks the arguments.
     *
     * @param setting the setting concerned
     * @param reason the machine-readable reason
     * @param message what is wrong and what to do, safe to log
     */
    public ConfigProblem {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** Why a setting was refused. */
    public enum Reason {
        /** A required setting is not set. */
        MISSING,
        /** A test key ({@code sk_test_}) in production. */
        TEST_KEY_IN_PRODUCTION,
        /** A live key ({@code sk_live_}) outside production. */
        LIVE_KEY_OUTSIDE_PRODUCTION,
        /** Billing enforcement {@code off} in production. */
        ENFORCEMENT_OFF_IN_PRODUCTION,
        /** A development-mode switch on in production. */
        DEV_MODE_IN_PRODUCTION,
        /** The Sentry DSN is not {@code https://<key>@<host>/<project id>}. */
        MALFORMED_DSN,
        /** The database URL is not a PostgreSQL JDBC or {@code postgres://} URL. */
        MALFORMED_URL,
        /** A secret has the wrong form (for example no {@code whsec_} prefix) or is too short. */
        MALFORMED_SECRET,
        /** A value outside the allowed set. */
        INVALID_VALUE,
        /** The {@code TOLLGATE_} name and a plain name are both set, to different values. */
        CONFLICTING_VALUES
    }
}
