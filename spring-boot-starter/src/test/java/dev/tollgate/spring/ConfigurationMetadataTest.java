package dev.tollgate.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IDEs complete {@code tollgate.*}: the processor's metadata names every property with a description. */
class ConfigurationMetadataTest {

    @Test
    void every_tollgate_property_is_described_in_the_metadata() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("spring-configuration-metadata.json on the class path").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        metadata.get("properties").forEach(p -> properties.put(p.get("name").asText(), p));
        assertThat(properties).containsKeys("tollgate.environment", "tollgate.migrations.enabled",
                "tollgate.webhooks.stripe.secret", "tollgate.webhooks.stripe.path",
                "tollgate.webhooks.revenuecat.authorization", "tollgate.webhooks.revenuecat.path",
                "tollgate.webhooks.standard-webhooks.secret", "tollgate.webhooks.store",
                "tollgate.billing.enforcement", "tollgate.billing.cache-ttl", "tollgate.billing.tenant.source", "tollgate.billing.tenant.claim",
                "tollgate.billing.tenant.header",
                "tollgate.billing.filter.url-patterns", "tollgate.health.verifiers", "tollgate.validation.optional");
        properties.forEach((name, p) -> assertThat(p.path("description").asText()).as(name).isNotBlank());
        assertThat(properties.get("tollgate.webhooks.stripe.path").get("defaultValue").asText())
                .isEqualTo("/webhooks/stripe");
        assertThat(properties.get("tollgate.webhooks.revenuecat.path").get("defaultValue").asText())
                .isEqualTo("/webhooks/revenuecat");
        // The per-provider defaults of WebhookEndpoint are declared in additional-spring-configuration-metadata.json
        // (the processor cannot read a default given through a constructor): they must be what binding gives.
        TollgateProperties.Webhooks defaults = new TollgateProperties().getWebhooks();
        Map<String, TollgateProperties.WebhookEndpoint> endpoints = Map.of("stripe", defaults.getStripe(),
                "revenuecat", defaults.getRevenuecat(), "standard-webhooks", defaults.getStandardWebhooks());
        Map<String, String> names = Map.of("stripe", "Stripe", "revenuecat", "RevenueCat",
                "standard-webhooks", "Standard Webhooks");
        endpoints.forEach((provider, endpoint) -> {
            String prefix = "tollgate.webhooks." + provider;
            assertThat(properties.get(prefix + ".path").get("defaultValue").asText()).as(provider)
                    .isEqualTo(endpoint.getPath());
            assertThat(properties.get(prefix + ".enabled").get("description").asText()).as(provider)
                    .startsWith("Whether the " + names.get(provider) + " endpoint exists.");
        });
    }

    @Test
    void secrets_bound_from_properties_print_masked() {
        TollgateProperties properties = new TollgateProperties();
        properties.getWebhooks().getStripe().setSecret(dev.tollgate.Secret.of("whsec_abcdefghijklmnopqrstuvwxyz"));
        assertThat(String.valueOf(properties.getWebhooks().getStripe().getSecret())).doesNotContain("mnopqrst");
    }
}
