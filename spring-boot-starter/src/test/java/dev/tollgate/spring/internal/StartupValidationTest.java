package dev.tollgate.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.Secret;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.TollgateStartupException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Nasty values: each reported, all at once, none echoing a secret. */
class StartupValidationTest {

    @Test
    void every_nasty_value_is_reported_in_one_exception() {
        TollgateProperties properties = new TollgateProperties();
        properties.getWebhooks().getStripe().setSecret(Secret.of("whsec_topSecretValue0123456789"));
        properties.getWebhooks().getStripe().setPath("/webhooks/*");
        properties.getWebhooks().getRevenuecat().setAuthorization(Secret.of("Bearer another-secret-value-123"));
        properties.getWebhooks().getRevenuecat().setPath("/webhooks/standard");
        properties.getWebhooks().getStandardWebhooks().setSecret(Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        properties.getWebhooks().setMaxBodyBytes(0);
        properties.getWebhooks().setLease(Duration.ZERO);
        properties.getWebhooks().setDuplicateCacheEntries(-1);
        properties.getWebhooks().setDuplicateCacheTtl(Duration.ZERO);
        properties.getWebhooks().setStore(TollgateProperties.StoreType.POSTGRES);
        properties.getBilling().setCacheTtl(Duration.ofHours(2));
        properties.getBilling().getTenant().setHeader(" ");
        properties.getBilling().getTenant().setClaim("");
        properties.getBilling().getFilter().setEnabled(true);
        properties.getBilling().getFilter().setUrlPatterns(List.of());
        properties.getHealth().setTimeout(Duration.ofSeconds(-1));
        properties.getHealth().setVerifiers(Arrays.asList("billing.verify_billing_schema", "x; DROP TABLE y", "A.B"));

        assertThatThrownBy(() -> StartupValidation.run(new TollgateSettings(properties, new StandardEnvironment()), false))
                .isInstanceOfSatisfying(TollgateStartupException.class, e -> {
                    assertThat(e.reason()).isEqualTo(TollgateStartupException.Reason.INVALID_CONFIGURATION);
                    assertThat(e.problems()).hasSize(14);
                    assertThat(e.getMessage())
                            .contains("tollgate.webhooks.stripe.path must be an absolute path")
                            .contains("tollgate.webhooks.standard-webhooks.path and tollgate.webhooks.revenuecat.path")
                            .contains("max-body-bytes must be at least 1, but was 0")
                            .contains("tollgate.webhooks.lease must be positive, but was PT0S")
                            .contains("tollgate.webhooks.duplicate-cache-entries must be at least 0")
                            .contains("tollgate.webhooks.duplicate-cache-ttl must be positive, but was PT0S")
                            .contains("no DataSource")
                            .contains("cache-ttl must be between 1ms and 1h, but was PT2H")
                            .contains("tollgate.billing.tenant.header must not be blank")
                            .contains("tollgate.billing.tenant.claim must not be blank")
                            .contains("url-patterns must list at least one")
                            .contains("tollgate.health.timeout must be positive")
                            .contains("'x; DROP TABLE y' is not schema.function")
                            .contains("'A.B' is not schema.function")
                            .doesNotContain("topSecretValue").doesNotContain("another-secret")
                            .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
                });
    }

    @Test
    void a_valid_configuration_passes_and_keeps_the_production_validator() {
        TollgateProperties properties = new TollgateProperties();
        properties.getWebhooks().getStripe().setSecret(Secret.of("whsec_topSecretValue0123456789"));
        StartupValidation validation = StartupValidation.run(
                new TollgateSettings(properties, new StandardEnvironment()), true);
        assertThat(validation.report()).isNotNull();
        assertThat(validation.validator().validate().production()).isFalse();
    }

    @Test
    void sentry_release_and_sample_rate_set_as_spring_properties_count_for_the_production_check() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("app", Map.of(
                "sentry.dsn", "https://0123456789abcdef@o1.ingest.sentry.io/42",
                "sentry.release", "billing-api@4.7.0",
                "sentry.traces-sample-rate", "0.1")));
        Map<String, String> variables = new TollgateSettings(new TollgateProperties(), environment).validatorVariables();
        assertThat(variables).containsEntry("TOLLGATE_SENTRY_RELEASE", "billing-api@4.7.0")
                .containsEntry("TOLLGATE_SENTRY_TRACES_SAMPLE_RATE", "0.1");
    }

    @Test
    void a_property_replaces_the_plain_variable_instead_of_conflicting_with_it() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("env", Map.of(
                "STRIPE_WEBHOOK_SECRET", "whsec_fromTheEnvironment0123456789",
                "APP_ENV", "staging",
                "spring.datasource.url", "jdbc:postgresql://db:5432/app")));
        TollgateProperties properties = new TollgateProperties();
        properties.getWebhooks().getStripe().setSecret(Secret.of("whsec_fromTheProperties0123456789"));
        Map<String, String> variables = new TollgateSettings(properties, environment).validatorVariables();
        assertThat(variables).containsEntry("TOLLGATE_STRIPE_WEBHOOK_SECRET", "whsec_fromTheProperties0123456789")
                .doesNotContainKey("STRIPE_WEBHOOK_SECRET")
                .containsEntry("APP_ENV", "staging")
                .containsEntry("TOLLGATE_DATABASE_URL", "jdbc:postgresql://db:5432/app");
        assertThat(new TollgateSettings(new TollgateProperties(), environment).stripeSecret())
                .hasToString(Secret.of("whsec_fromTheEnvironment0123456789").toString());
    }
}
