package dev.tollgate.health.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.config.ConfigProblem.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionConfigValidatorTest {

    static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String LIVE_KEY = "sk_live_51HxYzAbCdEfGhIjKlMnOpQrSt";
    static final String TEST_KEY = "sk_test_51HxYzAbCdEfGhIjKlMnOpQrSt";
    static final String DB_PASSWORD = "Db-Pa55word-Never-Shown";
    static final String DSN = "https://0123456789abcdef0123456789abcdef@o42.ingest.sentry.io/4505";

    static Map<String, String> goodProduction() {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_ENVIRONMENT", "production");
        env.put("TOLLGATE_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("TOLLGATE_STRIPE_API_KEY", LIVE_KEY);
        env.put("TOLLGATE_DATABASE_URL", "jdbc:postgresql://db.internal:5432/app?user=app&password=" + DB_PASSWORD);
        env.put("TOLLGATE_SENTRY_DSN", DSN);
        env.put("SENTRY_RELEASE", "billing-api@4.7.0");
        env.put("TOLLGATE_BILLING_ENFORCEMENT", "on");
        return env;
    }

    private static ConfigReport validate(Map<String, String> env) {
        return ProductionConfigValidator.builder().environment(env).build().validate();
    }

    @Test
    void aGoodProductionConfigurationPassesAndShowsOnlyMaskedValues() {
        ConfigReport report = validate(goodProduction());
        assertTrue(report.ok(), report.problems().toString());
        assertTrue(report.production());
        assertEquals("whsec_…LaSw", report.shown().get(ConfigSetting.STRIPE_WEBHOOK_SECRET));
        assertEquals("sk_live_…QrSt", report.shown().get(ConfigSetting.STRIPE_API_KEY));
        assertEquals("jdbc:postgresql://db.internal:5432/app?user=app&password=****",
                report.shown().get(ConfigSetting.DATABASE_URL));
        assertEquals("(not set)", report.shown().get(ConfigSetting.REVENUECAT_WEBHOOK_SECRET));
        assertFalse(report.toString().contains(DB_PASSWORD));
        assertFalse(report.toString().contains("0123456789abcdef0123"));
    }

    @Test
    void sentryReleaseIsRequiredInProductionWithADsnAndTheSampleRateMustBeARate() {
        Map<String, String> env = goodProduction();
        env.remove("SENTRY_RELEASE");
        ConfigReport missing = validate(env);
        assertEquals(List.of(ConfigSetting.SENTRY_RELEASE), missing.problems().stream().map(ConfigProblem::setting).toList());
        assertEquals(Reason.MISSING, missing.problems().get(0).reason());
        assertTrue(missing.problems().get(0).message().contains("release tag"), missing.problems().toString());
        assertTrue(ProductionConfigValidator.builder().environment(env).optional(ConfigSetting.SENTRY_RELEASE).build()
                .validate().ok(), "optional on request");
        env.remove("TOLLGATE_SENTRY_DSN");
        assertTrue(ProductionConfigValidator.builder().environment(env).optional(ConfigSetting.SENTRY_DSN).build()
                .validate().ok(), "without Sentry there is no release to tag");

        for (String bad : List.of("1.5", "-0.1", "ten percent", "NaN")) {
            Map<String, String> rate = goodProduction();
            rate.put("SENTRY_TRACES_SAMPLE_RATE", bad);
            ConfigReport report = validate(rate);
            assertEquals(List.of(Reason.INVALID_VALUE), report.problems().stream().map(ConfigProblem::reason).toList(),
                    bad);
        }
        Map<String, String> good = goodProduction();
        good.put("TOLLGATE_SENTRY_TRACES_SAMPLE_RATE", "0.1");
        assertTrue(validate(good).ok());
        good.put("SENTRY_RELEASE", "line one\nline two");
        assertEquals(ConfigSetting.SENTRY_RELEASE, validate(good).problems().get(0).setting());
    }

    @Test
    void everyProductionProblemIsReportedAtOnceInOneException() {
        Map<String, String> env = new HashMap<>();
        env.put("ENVIRONMENT", "prod");
        env.put("STRIPE_SECRET_KEY", TEST_KEY);
        env.put("STRIPE_WEBHOOK_SECRET", "not-a-whsec-secret-at-all");
        env.put("DATABASE_URL", "mysql://root:" + DB_PASSWORD + "@db/app");
        env.put("SENTRY_DSN", "sentry-dsn-without-a-scheme");
        env.put("SENTRY_RELEASE", "4f2a9c1");
        env.put("TOLLGATE_BILLING_ENFORCEMENT", "off");
        env.put("SERVER_DEV_MODE", "true");
        env.put("REVENUECAT_WEBHOOK_SECRET", "short");
        ProductionConfigValidator validator = ProductionConfigValidator.builder().environment(env)
                .require(ConfigSetting.REVENUECAT_WEBHOOK_SECRET).build();
        ConfigurationException e = assertThrows(ConfigurationException.class, validator::validateOrThrow);
        assertEquals(List.of(Reason.TEST_KEY_IN_PRODUCTION, Reason.MALFORMED_SECRET, Reason.MALFORMED_URL,
                Reason.MALFORMED_DSN, Reason.ENFORCEMENT_OFF_IN_PRODUCTION, Reason.DEV_MODE_IN_PRODUCTION), e.reasons());
        assertEquals(7, e.problems().size(), e.getMessage());
        String message = e.getMessage();
        assertTrue(message.startsWith("Tollgate configuration is not fit for prod (7 problems)"), message);
        assertTrue(message.contains("STRIPE_SECRET_KEY (sk_test_…QrSt) is a test-mode key in production"), message);
        assertTrue(message.contains("SERVER_DEV_MODE is on in production"), message);
        assertTrue(message.contains("TOLLGATE_BILLING_ENFORCEMENT is off in production"), message);
        for (String secret : List.of(TEST_KEY, DB_PASSWORD, "not-a-whsec-secret-at-all", "sentry-dsn-without")) {
            assertFalse(message.contains(secret), () -> "leaked " + secret + " in " + message);
        }
    }

    @Test
    void missingRequiredSettingsAreNamedWithEveryAcceptedName() {
        ConfigReport report = validate(Map.of("TOLLGATE_ENVIRONMENT", "production"));
        List<ConfigSetting> missing = report.problems().stream().filter(p -> p.reason() == Reason.MISSING)
                .map(ConfigProblem::setting).toList();
        assertEquals(List.of(ConfigSetting.STRIPE_WEBHOOK_SECRET, ConfigSetting.STRIPE_API_KEY,
                ConfigSetting.DATABASE_URL, ConfigSetting.SENTRY_DSN), missing);
        assertTrue(report.problems().get(0).message().startsWith(
                "TOLLGATE_STRIPE_WEBHOOK_SECRET is not set (also read from STRIPE_WEBHOOK_SECRET)"));
        ConfigReport optional = ProductionConfigValidator.builder().environment(Map.of("TOLLGATE_ENVIRONMENT",
                "production")).optional(ConfigSetting.values()).build().validate();
        assertTrue(optional.ok(), optional.problems().toString());
    }

    @Test
    void outsideProductionProblemsAreWarningsAndLiveKeysAreFlagged() {
        Map<String, String> env = Map.of("TOLLGATE_ENVIRONMENT", "staging", "TOLLGATE_STRIPE_API_KEY", LIVE_KEY,
                "TOLLGATE_BILLING_ENFORCEMENT", "off", "TOLLGATE_DEV_MODE", "true");
        ConfigReport report = ProductionConfigValidator.builder().environment(env).build().validateOrThrow();
        assertFalse(report.production());
        assertEquals(List.of(Reason.LIVE_KEY_OUTSIDE_PRODUCTION),
                report.problems().stream().map(ConfigProblem::reason).toList());
        assertEquals("development", validate(Map.of()).environment());
        assertTrue(validate(Map.of()).ok());
    }

    @Test
    void conflictingNamesUnknownValuesAndBlankValues() {
        Map<String, String> env = new HashMap<>(goodProduction());
        env.put("STRIPE_WEBHOOK_SECRET", "whsec_SomethingElseEntirely12345");
        env.put("TOLLGATE_BILLING_ENFORCEMENT", "Report_Only");
        env.put("DATABASE_URL", env.get("TOLLGATE_DATABASE_URL")); // same value twice is fine
        env.put("TOLLGATE_PURCHASES_ENABLED", "maybe");
        env.put("TOLLGATE_SENTRY_DSN", "   ");
        env.put("SENTRY_DSN", DSN);
        ConfigReport report = validate(env);
        assertEquals(List.of(Reason.CONFLICTING_VALUES, Reason.INVALID_VALUE),
                report.problems().stream().map(ConfigProblem::reason).toList(), report.problems().toString());
        assertTrue(report.problems().get(0).message().contains("whsec_…LaSw and whsec_…2345"));
        ConfigReport weird = validate(Map.of("TOLLGATE_ENVIRONMENT", "pr0d\n<script>"));
        assertEquals(Reason.INVALID_VALUE, weird.problems().get(0).reason());
        assertFalse(weird.problems().get(0).message().contains("\n"));
    }

    @Test
    void urlAndDsnForms() {
        for (String ok : List.of("jdbc:postgresql://localhost/app", "jdbc:postgresql://h:5432/app?sslmode=require",
                "postgres://u:p@h:5432/app", "postgresql://h/app")) {
            Map<String, String> env = Map.of("DATABASE_URL", ok);
            assertTrue(validate(env).ok(), ok + " " + validate(env).problems());
        }
        for (String bad : List.of("jdbc:mysql://h/app", "jdbc:postgresql://h", "postgres://h", "http://h/app", "x")) {
            assertEquals(Reason.MALFORMED_URL, validate(Map.of("DATABASE_URL", bad)).problems().get(0).reason(), bad);
        }
        for (String bad : List.of("https://o42.ingest.sentry.io/4505", "https://key@o42.ingest.sentry.io/",
                "ftp://key@h/1", "https://key@h/project")) {
            assertEquals(Reason.MALFORMED_DSN, validate(Map.of("SENTRY_DSN", bad)).problems().get(0).reason(), bad);
        }
        assertTrue(validate(Map.of("SENTRY_DSN", "https://key@sentry.example.com/sub/path/12")).ok());
    }
}
