package dev.tollgate.spring.internal;

import dev.tollgate.health.config.ConfigSetting;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one webhook endpoint is on, by the same rule as {@link TollgateSettings}: its
 * {@code enabled} property when set, otherwise whether its secret is configured.
 */
public final class WebhookEndpointsCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment env = context.getEnvironment();
        if (!Boolean.parseBoolean(env.getProperty("tollgate.webhooks.enabled", "true").trim())) {
            return ConditionOutcome.noMatch("tollgate.webhooks.enabled=false");
        }
        boolean stripe = on(env, "stripe", List.of("tollgate.webhooks.stripe.secret"),
                ConfigSetting.STRIPE_WEBHOOK_SECRET.variables());
        boolean revenueCat = on(env, "revenuecat", List.of("tollgate.webhooks.revenuecat.authorization"),
                ConfigSetting.REVENUECAT_WEBHOOK_SECRET.variables());
        boolean standard = on(env, "standard-webhooks", List.of("tollgate.webhooks.standard-webhooks.secret"), List.of());
        if (stripe || revenueCat || standard) {
            return ConditionOutcome.match("a webhook endpoint is enabled");
        }
        return ConditionOutcome.noMatch("no webhook endpoint is enabled: set tollgate.webhooks.stripe.secret,"
                + " tollgate.webhooks.revenuecat.authorization or tollgate.webhooks.standard-webhooks.secret");
    }

    private static boolean on(Environment env, String provider, List<String> properties, List<String> variables) {
        String flag = env.getProperty("tollgate.webhooks." + provider + ".enabled");
        if (flag != null) {
            return Boolean.parseBoolean(flag.trim());
        }
        for (String name : properties) {
            if (present(env.getProperty(name))) {
                return true;
            }
        }
        for (String name : variables) {
            if (present(env.getProperty(name))) {
                return true;
            }
        }
        return false;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
