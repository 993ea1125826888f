package dev.tollgate.health.config;

import java.util.List;

/**
 * The settings {@link ProductionConfigValidator} knows, each with the environment variable names it is
 * read from: the {@code TOLLGATE_} name first, then the plain names the seeds' runbooks use.
 */
public enum ConfigSetting {
    /** {@code production}, {@code staging}, {@code development}, {@code test}, … */
    ENVIRONMENT(false, "TOLLGATE_ENVIRONMENT", "ENVIRONMENT", "APP_ENV"),
    /** Stripe's webhook signing secret, {@code whsec_…}. */
    STRIPE_WEBHOOK_SECRET(true, "TOLLGATE_STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET"),
    /** The shared secret RevenueCat sends in its {@code Authorization} header. */
    REVENUECAT_WEBHOOK_SECRET(true, "TOLLGATE_REVENUECAT_WEBHOOK_SECRET", "REVENUECAT_WEBHOOK_SECRET"),
    /** Stripe's API key, {@code sk_live_…} or a restricted {@code rk_live_…}. */
    STRIPE_API_KEY(true, "TOLLGATE_STRIPE_API_KEY", "STRIPE_API_KEY", "STRIPE_SECRET_KEY"),
    /** The PostgreSQL URL, {@code jdbc:postgresql://host:5432/db} or {@code postgres://user:pw@host/db}. */
    DATABASE_URL(true, "TOLLGATE_DATABASE_URL", "DATABASE_URL"),
    /** Sentry's DSN, {@code https://key@o1.ingest.sentry.io/42}. */
    SENTRY_DSN(true, "TOLLGATE_SENTRY_DSN", "SENTRY_DSN"),
    /**
     * The release Sentry tags errors with (a version or git SHA); required in production when a Sentry DSN is
     * set, unless {@linkplain ProductionConfigValidator.Builder#optional(ConfigSetting...) made optional}.
     */
    SENTRY_RELEASE(false, "TOLLGATE_SENTRY_RELEASE", "SENTRY_RELEASE"),
    /** Sentry's performance sampling, a number from 0 to 1 (optional). */
    SENTRY_TRACES_SAMPLE_RATE(false, "TOLLGATE_SENTRY_TRACES_SAMPLE_RATE", "SENTRY_TRACES_SAMPLE_RATE"),
    /** Billing enforcement: {@code on}, {@code off} or {@code report-only}. */
    BILLING_ENFORCEMENT(false, "TOLLGATE_BILLING_ENFORCEMENT", "BILLING_ENFORCEMENT"),
    /** A development-mode switch that must not be on in production. */
    DEV_MODE(false, "TOLLGATE_DEV_MODE", "DEV_MODE", "SERVER_DEV_MODE"),
    /** The purchases kill switch: {@code false} stops new purchases. */
    PURCHASES_ENABLED(false, "TOLLGATE_PURCHASES_ENABLED", "PURCHASES_ENABLED");

    private final boolean secret;
    private final List<String> variables;

    ConfigSetting(boolean secret, String... variables) {
        this.secret = secret;
        this.variables = List.of(variables);
    }

    /**
     * @return whether the value is secret (shown masked only)
     */
    public boolean secret() {
        return secret;
    }

    /**
     * @return the environment variable names, preferred first
     */
    public List<String> variables() {
        return variables;
    }

    /**
     * @return the preferred environment variable name, {@code TOLLGATE_…}
     */
    public String variable() {
        return variables.get(0);
    }
}
