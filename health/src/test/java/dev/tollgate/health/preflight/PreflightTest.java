package dev.tollgate.health.preflight;

import dev.tollgate.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.contributors.BackupFreshnessHealthContributor;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

@TollgatePostgres
class PreflightTest {

    private static final Map<String, String> PRODUCTION = Map.of(
            "TOLLGATE_ENVIRONMENT", "production",
            "TOLLGATE_STRIPE_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "TOLLGATE_STRIPE_API_KEY", "sk_live_51HxYzAbCdEfGhIjKlMnOpQrSt",
            "TOLLGATE_DATABASE_URL", "jdbc:postgresql://db:5432/app",
            "TOLLGATE_SENTRY_DSN", "https://0123456789abcdef@o1.ingest.sentry.io/42",
            "SENTRY_RELEASE", "api@1.0.0");

    @Test
    void goWhenEveryStepPassesOrWarns(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS pf");
            s.execute("CREATE OR REPLACE FUNCTION pf.verify() RETURNS TABLE(check_name text, status text, detail text)"
                    + " LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY VALUES ('a','PASS',''), ('b','WARN','soon'); END $$");
        }
        MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");
        PreflightReport report = Preflight.builder().clock(clock)
                .step("configuration", PreflightSteps.configuration(
                        ProductionConfigValidator.builder().environment(PRODUCTION).build()))
                .step("database", PreflightSteps.database(dataSource))
                .step("pf.schema", PreflightSteps.verifier(dataSource, "pf.verify"))
                .step("backup", PreflightSteps.fromHealth(BackupFreshnessHealthContributor.of(
                        () -> Optional.of(Instant.parse("2026-11-23T02:00:00Z")), Duration.ofHours(26), clock)))
                .build().run();
        assertTrue(report.go(), report.toText());
        assertEquals(0, report.exitCode());
        assertEquals(List.of("PASS", "PASS", "WARN", "PASS"),
                report.steps().stream().map(s -> s.status().name()).toList());
        assertEquals("production, no problems", report.steps().get(0).detail());
        assertEquals("2 checks, 1 warnings", report.steps().get(2).detail());
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertTrue(json.get("go").asBoolean());
        assertEquals(1, json.get("warn").asInt());
        assertEquals("pf.schema", json.get("steps").get(2).get("name").asText());
        assertTrue(report.toText().endsWith("GO: 0 failed, 1 warnings, 3 passed\n"), report.toText());
    }

    @Test
    void noGoNamesEveryFailureAndKeepsGoing() throws Exception {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/app?connectTimeout=1");
        Map<String, String> testKeyInProduction = new java.util.HashMap<>(PRODUCTION);
        testKeyInProduction.put("TOLLGATE_STRIPE_API_KEY", "sk_test_51HxYzAbCdEfGhIjKlMnOpQrSt");
        CountDownLatch never = new CountDownLatch(1);
        PreflightReport report = Preflight.builder()
                .stepTimeout(Duration.ofMillis(300))
                .step("configuration", PreflightSteps.configuration(
                        ProductionConfigValidator.builder().environment(testKeyInProduction).build()))
                .step("database", PreflightSteps.database(nowhere))
                .step("hangs", () -> {
                    never.await();
                    return PreflightOutcome.pass("never");
                })
                .step("throws", () -> {
                    throw new SQLException("login for ops@example.com failed");
                })
                .step("after", () -> PreflightOutcome.pass("still runs"))
                .build().run();
        assertFalse(report.go());
        assertEquals(PreflightReport.EXIT_NO_GO, report.exitCode());
        assertEquals(List.of("FAIL", "FAIL", "FAIL", "FAIL", "PASS"),
                report.steps().stream().map(s -> s.status().name()).toList());
        assertTrue(report.steps().get(0).detail().contains("sk_test_…QrSt) is a test-mode key in production"));
        assertTrue(report.steps().get(1).detail().startsWith("cannot reach the database"));
        assertEquals("timed out after 300 ms", report.steps().get(2).detail());
        assertEquals("SQLException: login for [Filtered] failed", report.steps().get(3).detail());
        String text = report.toText();
        assertFalse(text.contains("51HxYzAbCdEfGhIjKlMnOpQrSt"), text);
        assertTrue(text.contains("[FAIL] hangs          timed out after 300 ms"), text);
        assertTrue(text.endsWith("NO-GO: 4 failed, 0 warnings, 1 passed\n"), text);
        assertFalse(new ObjectMapper().readTree(report.toJson()).get("go").asBoolean());
    }

    @Test
    void builderReportsEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preflight.builder()
                .step("Bad Name", () -> PreflightOutcome.pass(""))
                .step("db", () -> PreflightOutcome.pass(""))
                .step("db", () -> PreflightOutcome.pass(""))
                .stepTimeout(Duration.ZERO)
                .build());
        assertTrue(e.getMessage().contains("'Bad Name'"), e.getMessage());
        assertTrue(e.getMessage().contains("step 'db' is added twice"), e.getMessage());
        assertTrue(e.getMessage().contains("stepTimeout must be positive, but was PT0S"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preflight.builder().build())
                .getMessage().contains("at least one step"));
    }
}
