package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.config.ConfigReport;
import dev.tollgate.health.config.ConfigurationException;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.contributors.ConfigurationHealthContributor;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Runs everything that prints with real-looking secrets and scans every captured log line and response. */
class SecretsNeverInOutputTest {

    private static final String WEBHOOK_SECRET = "whsec_Zx81LkQ0pWm3NbV7cR2tY5uI9oPaSdFg";
    private static final String TEST_KEY = "sk_test_51NqWeRtYuIoPaSdFgHjKlZx";
    private static final String REVENUECAT = "rc-auth-7f6e5d4c3b2a1908";
    private static final String DB_PASSWORD = "Pg-S3cret-Pa55";
    private static final String DSN_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final List<String> SECRETS = List.of(WEBHOOK_SECRET, TEST_KEY, REVENUECAT, DB_PASSWORD, DSN_KEY,
            "Zx81LkQ0pWm3NbV7", "51NqWeRtYuIoPa");

    @Test
    void noSecretInLogsResponsesExceptionsOrToString() {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("TOLLGATE_STRIPE_API_KEY", TEST_KEY);
        env.put("TOLLGATE_REVENUECAT_WEBHOOK_SECRET", REVENUECAT);
        env.put("REVENUECAT_WEBHOOK_SECRET", REVENUECAT + "-other");
        env.put("TOLLGATE_DATABASE_URL", "postgres://app:" + DB_PASSWORD + "@127.0.0.1:1/app");
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/app?password=" + DB_PASSWORD);
        env.put("TOLLGATE_SENTRY_DSN", "https://" + DSN_KEY + "@o1.ingest.sentry.io/x");
        env.put("TOLLGATE_BILLING_ENFORCEMENT", "off");

        List<String> outputs = new ArrayList<>();
        String logs = LogCapture.during(() -> {
            ConfigReport staging = ProductionConfigValidator.builder()
                    .environment(with(env, "TOLLGATE_ENVIRONMENT", "staging")).build().validateOrThrow();
            outputs.add(staging.toString());
            ProductionConfigValidator production = ProductionConfigValidator.builder()
                    .environment(with(env, "TOLLGATE_ENVIRONMENT", "production")).build();
            ConfigurationException e = assertThrows(ConfigurationException.class, production::validateOrThrow);
            outputs.add(e.getMessage());
            outputs.add(e.problems().toString());

            PGSimpleDataSource nowhere = new PGSimpleDataSource();
            nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/app?connectTimeout=1");
            nowhere.setPassword(DB_PASSWORD);
            try (HealthRegistry registry = HealthRegistry.builder()
                    .register("database", DatabaseHealthContributor.of(nowhere))
                    .register("config", ConfigurationHealthContributor.of(production))
                    .register("leaky", () -> {
                        throw new IllegalStateException("stripe said no to " + TEST_KEY + " signed with " + WEBHOOK_SECRET);
                    })
                    .build()) {
                for (boolean detailed : new boolean[] {false, true}) {
                    HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.0.0").detailed(detailed).build();
                    for (String path : List.of("/health", "/health/ready", "/health/live", "/nope")) {
                        HealthResponse response = endpoints.handle(path);
                        outputs.add(response.bodyText());
                        outputs.add(response.toString());
                    }
                }
                outputs.add(registry.check().toString());
            }
        });
        outputs.add(logs);
        assertTrue(logs.contains("tollgate.config.validated environment=staging"), logs);
        assertTrue(logs.contains("CONFLICTING_VALUES"), logs);
        String all = String.join("\n", outputs);
        assertTrue(all.contains("whsec_…SdFg"), "masked forms are shown: " + all);
        for (String secret : SECRETS) {
            assertFalse(all.contains(secret), () -> "leaked " + secret + ":\n" + all);
        }
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(key, value);
        return copy;
    }
}
