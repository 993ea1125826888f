package dev.tollgate.health.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.LegalDocument;
import dev.tollgate.legal.LegalService;
import dev.tollgate.legal.PostgresLegalRepository;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight command line against a real PostgreSQL: Go on a sound database, No-Go with a clear list otherwise. */
@TollgatePostgres
class PreflightCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> STAGING = Map.of("TOLLGATE_ENVIRONMENT", "staging");

    /** What a run printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = PreflightCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] connect(TestDatabase db, String... more) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url", db.jdbcUrl(), "--user", db.user(),
                "--password", db.password()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void publishLegalDocuments(DataSource dataSource) {
        publishDocuments(dataSource);
    }

    static void publishDocuments(DataSource dataSource) {
        LegalService legal = LegalService.builder().repository(new PostgresLegalRepository(dataSource))
                .clock(Clock.systemUTC()).build();
        for (DocumentKind kind : List.of(DocumentKind.TERMS, DocumentKind.PRIVACY, DocumentKind.IMPRINT)) {
            legal.publish(LegalDocument.builder().kind(kind).version("1.0").title(kind.name() + " title")
                    .effectiveAt(Instant.parse("2026-01-01T00:00:00Z")).content("The " + kind.name() + " text.")
                    .requiresReacceptance(true).build());
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void goOnAFreshMigratedDatabaseWithDocumentsPublished(TestDatabase db, @TempDir Path dir) throws IOException,
            SQLException {
        Path marker = Files.writeString(dir.resolve("last-backup"), "ok");
        Run run = run(STAGING, connect(db, "--json", "--backup-marker", marker.toString(), "--backup-max-age", "26h"));
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode report = JSON.readTree(run.out());
        assertTrue(report.get("go").asBoolean());
        List<String> steps = new ArrayList<>();
        for (JsonNode step : report.get("steps")) {
            steps.add(step.get("name").asText() + " " + step.get("status").asText());
        }
        assertEquals(List.of("configuration PASS", "database PASS", "webhooks.verify_webhook_schema PASS",
                "billing.verify_billing_schema PASS", "consent.verify_consent_schema PASS",
                "legal.verify_legal_acceptance_integrity PASS", "tollgate.verify_final_hardening PASS",
                "webhook-round-trip PASS", "gate-past-due-402 PASS", "legal-documents PASS", "backup-freshness PASS",
                "sentry-test-event WARN"),
                steps, run.out());
        // the preflight cleaned up after itself
        assertEquals(0, count(db.dataSource(), "SELECT count(*) FROM webhooks.events WHERE provider = 'tollgate-preflight'"));
        assertEquals(0, count(db.dataSource(),
                "SELECT count(*) FROM billing.tenant_billing WHERE tenant_id LIKE 'tollgate-preflight-%'"));
        assertEquals(0, count(db.dataSource(),
                "SELECT count(*) FROM billing.audit_log WHERE tenant_id LIKE 'tollgate-preflight-%'"));
        // and can run again on the same database (a second run is what an operator does after a fix)
        assertEquals(0, run(STAGING, connect(db)).exit());
    }

    @Test
    void noGoWithAClearListWhenAVerifierFailsAndDocumentsAreMissing() throws SQLException {
        try (TestDatabase broken = TestPostgres.shared().createDatabase().migrate()) {
            try (Connection c = broken.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE consent.records DISABLE TRIGGER records_append_only");
            }
            Run run = run(STAGING, connect(broken));
            assertEquals(1, run.exit(), run.out());
            assertTrue(run.out().contains("NO-GO: "), run.out());
            List<String> failing = run.out().lines().filter(l -> l.contains("FAIL")).toList();
            assertTrue(failing.stream().anyMatch(l -> l.contains("consent.verify_consent_schema")), run.out());
            assertTrue(failing.stream().anyMatch(l -> l.contains("tollgate.verify_final_hardening")), run.out());
            assertTrue(failing.stream().anyMatch(l -> l.contains("legal-documents")
                    && l.contains("terms, privacy, imprint")), run.out());
            assertFalse(failing.stream().anyMatch(l -> l.contains("webhook-round-trip") || l.contains("gate-past-due-402")), run.out());
        }
    }

    @Test
    void noGoWhenTheDatabaseIsUnreachableWithoutLeakingThePassword() {
        String password = "pw-never-printed-7f3a9c";
        Run run = run(Map.of("TOLLGATE_ENVIRONMENT", "staging", "TOLLGATE_DATABASE_PASSWORD", password,
                        "TOLLGATE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nowhere"),
                "--user", "app", "--connect-timeout", "1s", "--json");
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("cannot connect"), run.out());
        assertTrue(run.out().contains("not run: the database is unreachable"), run.out());
        assertFalse(run.out().contains(password) || run.err().contains(password));
    }

    @Test
    void helpAndArgumentProblems() {
        Run help = run(Map.of(), "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--jdbc-url URL") && help.out().contains("TOLLGATE_DATABASE_URL"), help.out());
        assertTrue(help.out().contains("--sentry-release R"), help.out());

        Run none = run(Map.of());
        assertEquals(PreflightCommand.EXIT_USAGE, none.exit());
        assertTrue(none.err().contains("no database: give --jdbc-url or set TOLLGATE_DATABASE_URL"), none.err());

        Run many = run(Map.of(), "--jdbc-url", "postgres://u:secretpw@h/db", "--backup-max-age", "soon", "--frobnicate",
                "--sentry-release", "--user");
        assertEquals(PreflightCommand.EXIT_USAGE, many.exit());
        for (String problem : List.of("must start with jdbc:postgresql://", "'soon' is not a duration",
                "unknown argument '--frobnicate'", "--user needs a value", "--sentry-release needs a value",
                "--backup-max-age needs --backup-marker")) {
            assertTrue(many.err().contains(problem), problem + " in " + many.err());
        }
        assertEquals("", many.out());
    }
}
