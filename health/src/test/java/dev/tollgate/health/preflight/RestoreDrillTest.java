package dev.tollgate.health.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.consent.ConsentDecision;
import dev.tollgate.consent.ConsentPolicy;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.PostgresConsentRepository;
import dev.tollgate.consent.Purpose;
import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.legal.AcceptanceRequest;
import dev.tollgate.legal.LegalService;
import dev.tollgate.legal.PostgresLegalRepository;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.ClaimResult;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbooks' restore drill: a database with data in every module is dumped with {@code pg_dump -Fc} and
 * restored with {@code pg_restore} into an empty database, where every verifier passes, the legal audit chain
 * still verifies, the migrator has nothing to apply and every row is back. A restore without ACLs
 * ({@code --no-acl}) leaves Tollgate's functions executable by PUBLIC, which the final hardening check names;
 * the README's restore section gives the statement that repairs it, checked here too.
 *
 * <p>Needs {@code pg_dump} and {@code pg_restore} at least as new as the server: Debian's
 * {@code postgresql-client} ({@code .ci/run} installs it). Skipped, saying why, when they are absent.
 */
class RestoreDrillTest {

    private static final List<String> TABLES = List.of("webhooks.events", "billing.tenant_billing", "billing.audit_log",
            "consent.policies", "consent.records", "legal.documents", "legal.acceptances", "legal.audit_log");

    private static TestDatabase source;
    private static Path pgBin;

    @BeforeAll
    static void seedASource() throws Exception {
        source = TestPostgres.shared().createDatabase().migrate();
        pgBin = clientTools(serverMajor(source.dataSource())).orElse(null);
        Assumptions.assumeTrue(pgBin != null, "pg_dump/pg_restore for PostgreSQL "
                + serverMajor(source.dataSource()) + " or newer not found (install Debian's postgresql-client)");
        DataSource ds = source.dataSource();
        PostgresIdempotencyStore store = PostgresIdempotencyStore.create(ds, Clock.systemUTC());
        ClaimResult claim = store.claim("stripe", "evt_restore_drill", Duration.ofMinutes(5));
        assertTrue(store.complete(claim));
        execute(ds, "INSERT INTO billing.tenant_billing (tenant_id, status) VALUES ('t_restore', 'active')");
        execute(ds, "UPDATE billing.tenant_billing SET status = 'past_due' WHERE tenant_id = 't_restore'");
        ConsentService consent = ConsentService.builder().repository(new PostgresConsentRepository(ds))
                .clock(Clock.systemUTC()).build();
        consent.publishPolicy(ConsentPolicy.builder().version("1.0").effectiveAt(Instant.parse("2026-01-01T00:00:00Z"))
                .shownText("We use cookies for sign-in and, with your consent, analytics.")
                .purpose(Purpose.necessary("necessary", "Sign-in")).purpose(Purpose.optional("analytics", "Visits"))
                .build());
        consent.record(ConsentDecision.builder().subjectId("s_restore").policyVersion("1.0").acceptAll()
                .source("test").build());
        PreflightCommandTest.publishDocuments(ds);
        LegalService legal = LegalService.builder().repository(new PostgresLegalRepository(ds))
                .clock(Clock.systemUTC()).build();
        for (String user : List.of("u_restore_1", "u_restore_2")) {
            AcceptanceRequest.Builder request = AcceptanceRequest.builder().userId(user).source("test");
            legal.pendingAcceptances(user).forEach(p -> request.document(p.document()));
            legal.accept(request.build());
        }
        assertEquals(BillingStatus.PAST_DUE, new PostgresBillingRepository(ds).find("t_restore").orElseThrow().status());
    }

    @AfterAll
    static void dropSource() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aDumpRestoredIntoAnEmptyDatabasePassesEveryVerifierAndNeedsNoMigration(@TempDir Path dir) throws Exception {
        try (TestDatabase target = TestPostgres.shared().createDatabase()) {
            restore(dump(dir), target, List.of());

            assertEquals(List.of(), notPassing(target.dataSource(), "tollgate.verify_final_hardening"));
            for (String verifier : List.of("webhooks.verify_webhook_schema", "billing.verify_billing_schema",
                    "consent.verify_consent_schema", "legal.verify_legal_acceptance_integrity")) {
                assertEquals(List.of(), notPassing(target.dataSource(), verifier), verifier);
            }
            assertEquals(List.of(), SchemaMigrator.forAllModules().migrate(target.dataSource()),
                    "the restored schema history matches the migrations: nothing to apply");
            for (String table : TABLES) {
                assertEquals(count(source.dataSource(), table), count(target.dataSource(), table), table);
            }
        }
    }

    @Test
    void aRestoreWithoutAclsIsCaughtAndTheReadmeStatementRepairsIt(@TempDir Path dir) throws Exception {
        try (TestDatabase target = TestPostgres.shared().createDatabase()) {
            restore(dump(dir), target, List.of("--no-acl"));

            IntegrityReport report = SqlIntegrityVerifier.of(target.dataSource(), "tollgate.verify_final_hardening")
                    .verify();
            assertEquals(IntegrityCheck.Status.FAIL, report.check("no_public_function_execute").status(),
                    report.toString());
            // README, "Database migrations" → restore: what a restore without ACLs must be followed by
            execute(target.dataSource(), "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA webhooks, billing, consent, legal,"
                    + " tollgate FROM PUBLIC");
            assertEquals(List.of(), notPassing(target.dataSource(), "tollgate.verify_final_hardening"));
        }
    }

    private static Path dump(Path dir) throws Exception {
        Path file = dir.resolve("tollgate.dump");
        run(source, List.of(pgBin.resolve("pg_dump").toString(), "-Fc", "-f", file.toString()));
        assertTrue(Files.size(file) > 0);
        return file;
    }

    private static void restore(Path dump, TestDatabase target, List<String> flags) throws Exception {
        String database = URI.create(target.jdbcUrl().substring("jdbc:".length())).getPath().substring(1);
        List<String> command = new ArrayList<>(List.of(pgBin.resolve("pg_restore").toString(), "--exit-on-error",
                "-d", database));
        command.addAll(flags);
        command.add(dump.toString());
        run(target, command);
    }

    /** Runs a client tool against a database, connection given by libpq's environment variables. */
    private static void run(TestDatabase db, List<String> command) throws Exception {
        URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PGHOST", uri.getHost());
        env.put("PGPORT", Integer.toString(uri.getPort() > 0 ? uri.getPort() : 5432));
        env.put("PGDATABASE", uri.getPath().substring(1));
        env.put("PGUSER", db.user());
        env.put("PGPASSWORD", db.password());
        Path log = Files.createTempFile("tollgate-restore-drill", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 2 minutes: " + command);
            }
            assertEquals(0, process.exitValue(), command.get(0) + " failed:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The newest installed client whose major version is at least the server's. */
    private static Optional<Path> clientTools(int serverMajor) throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Integer.parseInt(v.getFileName().toString()) >= serverMajor)
                    .map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_dump")) && Files.isExecutable(bin.resolve("pg_restore")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString())));
        }
    }

    private static int serverMajor(DataSource dataSource) throws SQLException {
        return (int) (count(dataSource, "(SELECT current_setting('server_version_num')::int AS n) AS v", "n") / 10000);
    }

    private static List<IntegrityCheck> notPassing(DataSource dataSource, String function) {
        return SqlIntegrityVerifier.of(dataSource, function).verify().checks().stream()
                .filter(c -> c.status() != IntegrityCheck.Status.PASS).toList();
    }

    private static long count(DataSource dataSource, String table) throws SQLException {
        return count(dataSource, table, "count(*)");
    }

    private static long count(DataSource dataSource, String from, String what) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + what + " FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
