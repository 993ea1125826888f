package dev.tollgate.spring.internal;

import dev.tollgate.Secret;
import dev.tollgate.health.config.ConfigSetting;
import dev.tollgate.spring.TollgateProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The settings in effect: {@code tollgate.*} properties first, then the environment variable names the
 * other Tollgate modules read ({@code TOLLGATE_STRIPE_WEBHOOK_SECRET}, {@code STRIPE_WEBHOOK_SECRET}, …),
 * looked up through Spring's {@link Environment} (so tests and profiles can set them too).
 */
public final class TollgateSettings {

    private final TollgateProperties properties;
    private final Environment environment;

    /**
     * @param properties the bound properties
     * @param environment Spring's environment
     */
    public TollgateSettings(TollgateProperties properties, Environment environment) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** @return the bound properties */
    public TollgateProperties properties() {
        return properties;
    }

    /**
     * @param name a property name
     * @return whether the application sets it (in any property source), for settings that were renamed
     */
    public boolean isSet(String name) {
        return environment.containsProperty(name);
    }

    /** @return the Stripe signing secret in effect, or null */
    public @Nullable Secret stripeSecret() {
        Secret secret = properties.getWebhooks().getStripe().getSecret();
        return secret != null ? secret : fromVariables(ConfigSetting.STRIPE_WEBHOOK_SECRET);
    }

    /** @return the RevenueCat authorization value in effect, or null */
    public @Nullable Secret revenueCatAuthorization() {
        Secret secret = properties.getWebhooks().getRevenuecat().getAuthorization();
        return secret != null ? secret : fromVariables(ConfigSetting.REVENUECAT_WEBHOOK_SECRET);
    }

    /** @return the Standard Webhooks secret, or null */
    public @Nullable Secret standardWebhooksSecret() {
        return properties.getWebhooks().getStandardWebhooks().getSecret();
    }

    /** @return whether the Stripe endpoint is on */
    public boolean stripeEnabled() {
        return enabled(properties.getWebhooks().getStripe().getEnabled(), stripeSecret());
    }

    /** @return whether the RevenueCat endpoint is on */
    public boolean revenueCatEnabled() {
        return enabled(properties.getWebhooks().getRevenuecat().getEnabled(), revenueCatAuthorization());
    }

    /** @return whether the Standard Webhooks endpoint is on */
    public boolean standardWebhooksEnabled() {
        return enabled(properties.getWebhooks().getStandardWebhooks().getEnabled(), standardWebhooksSecret());
    }

    private boolean enabled(@Nullable Boolean flag, @Nullable Secret secret) {
        if (!properties.getWebhooks().isEnabled()) {
            return false;
        }
        return flag != null ? flag : secret != null;
    }

    /**
     * The variables for the health module's {@code ProductionConfigValidator}: each setting's names as
     * Spring sees them, with the {@code tollgate.*} properties in their place when set (then the plain
     * names are dropped, so that a property never "conflicts" with the variable it replaces).
     *
     * @return the variables
     */
    public Map<String, String> validatorVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (ConfigSetting setting : ConfigSetting.values()) {
            for (String name : setting.variables()) {
                String value = environment.getProperty(name);
                if (value != null) {
                    variables.put(name, value);
                }
            }
        }
        TollgateProperties.Webhooks webhooks = properties.getWebhooks();
        override(variables, ConfigSetting.ENVIRONMENT, properties.getEnvironment());
        Secret stripe = webhooks.getStripe().getSecret();
        override(variables, ConfigSetting.STRIPE_WEBHOOK_SECRET, stripe == null ? null : stripe.reveal());
        Secret revenueCat = webhooks.getRevenuecat().getAuthorization();
        override(variables, ConfigSetting.REVENUECAT_WEBHOOK_SECRET, revenueCat == null ? null : revenueCat.reveal());
        if (environment.getProperty("tollgate.billing.enforcement") != null) {
            override(variables, ConfigSetting.BILLING_ENFORCEMENT, properties.getBilling().getEnforcement().configName());
        }
        if (!has(variables, ConfigSetting.DATABASE_URL)) {
            override(variables, ConfigSetting.DATABASE_URL, environment.getProperty("spring.datasource.url"));
        }
        if (!has(variables, ConfigSetting.SENTRY_DSN)) {
            override(variables, ConfigSetting.SENTRY_DSN, environment.getProperty("sentry.dsn"));
        }
        // sentry-spring-boot reads these from the Spring environment: so does the production check
        if (!has(variables, ConfigSetting.SENTRY_RELEASE)) {
            override(variables, ConfigSetting.SENTRY_RELEASE, environment.getProperty("sentry.release"));
        }
        if (!has(variables, ConfigSetting.SENTRY_TRACES_SAMPLE_RATE)) {
            override(variables, ConfigSetting.SENTRY_TRACES_SAMPLE_RATE,
                    environment.getProperty("sentry.traces-sample-rate"));
        }
        return variables;
    }

    private static boolean has(Map<String, String> variables, ConfigSetting setting) {
        return setting.variables().stream().anyMatch(variables::containsKey);
    }

    private static void override(Map<String, String> variables, ConfigSetting setting, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        List<String> names = setting.variables();
        names.forEach(variables::remove);
        variables.put(names.get(0), value);
    }

    private @Nullable Secret fromVariables(ConfigSetting setting) {
        for (String name : setting.variables()) {
            String value = environment.getProperty(name);
            if (value != null && !value.isBlank()) {
                return Secret.of(value.trim());
            }
        }
        return null;
    }
}
