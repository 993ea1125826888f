package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tollgate's migrations are plain Flyway migrations: applied by Flyway itself (one instance per module,
 * each with its own history table, as the READMEs tell Flyway users to do), they build the same schema
 * object for object as Tollgate's own {@code SchemaMigrator}, and every integrity verifier passes on it.
 */
class FlywayCompatibilityTest {

    /** The modules in the order SchemaMigrator applies them. */
    private static final List<String> MODULES = List.of("webhooks", "billing", "consent", "legal", "tollgate");

    /** Every object of Tollgate's schemas that a migration creates, as comparable text. */
    private static final String CATALOG = """
            SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
                   || ' null=' || is_nullable || ' default=' || coalesce(column_default, '')
              FROM information_schema.columns WHERE table_schema IN ('webhooks', 'billing', 'consent', 'legal')
            UNION ALL
            SELECT 'index ' || schemaname || '.' || indexname || ' ' || indexdef
              FROM pg_indexes WHERE schemaname IN ('webhooks', 'billing', 'consent', 'legal', 'tollgate')
                AND tablename <> 'schema_history'
            UNION ALL
            SELECT 'constraint ' || n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)
              FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
             WHERE n.nspname IN ('webhooks', 'billing', 'consent', 'legal')
            UNION ALL
            SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid)
                   || ') ' || md5(p.prosrc) || ' definer=' || p.prosecdef || ' config=' || coalesce(p.proconfig::text, '')
                   || ' acl=' || coalesce(p.proacl::text, '')
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname IN ('webhooks', 'billing', 'consent', 'legal', 'tollgate')
            UNION ALL
            SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname || ' ' || t.tgenabled::text
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND n.nspname IN ('webhooks', 'billing', 'consent', 'legal')
            UNION ALL
            SELECT 'policy ' || schemaname || '.' || tablename || '.' || policyname || ' ' || coalesce(qual, '')
                   || ' ' || coalesce(with_check, '')
              FROM pg_policies WHERE schemaname IN ('webhooks', 'billing', 'consent', 'legal')
            UNION ALL
            SELECT 'table ' || n.nspname || '.' || c.relname || ' rls=' || c.relrowsecurity || ' force=' || c.relforcerowsecurity
                   || ' acl=' || coalesce(c.relacl::text, '')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname IN ('webhooks', 'billing', 'consent', 'legal')
            UNION ALL
            SELECT 'schema ' || nspname || ' acl=' || coalesce(nspacl::text, '')
              FROM pg_namespace WHERE nspname IN ('webhooks', 'billing', 'consent', 'legal')
            """;

    private static TestDatabase viaFlyway;
    private static TestDatabase viaMigrator;

    @BeforeAll
    static void migrateTwoDatabases() {
        viaFlyway = TestPostgres.shared().createDatabase();
        for (String module : MODULES) {
            // The README's recipe: each module's own history table; from the second module on the schema is
            // no longer empty (the first history table is there), so Flyway needs a baseline below V1.
            MigrateResult result = Flyway.configure()
                    .dataSource(viaFlyway.dataSource())
                    .locations("classpath:db/tollgate/" + module)
                    .table("flyway_history_" + module)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            assertTrue(result.success, module + ": " + result.migrations);
            assertTrue(result.migrationsExecuted >= 1, module + " has migrations on the class path");
        }
        viaMigrator = TestPostgres.shared().createDatabase().migrate();
    }

    @AfterAll
    static void dropDatabases() {
        if (viaFlyway != null) {
            viaFlyway.close();
        }
        if (viaMigrator != null) {
            viaMigrator.close();
        }
    }

    @Test
    void flywayBuildsTheSameSchemaAsSchemaMigrator() throws SQLException {
        TreeSet<String> flyway = catalog(viaFlyway.dataSource());
        TreeSet<String> migrator = catalog(viaMigrator.dataSource());
        assertTrue(flyway.size() > 100, "the catalog query sees the schema: " + flyway.size() + " objects");
        TreeSet<String> onlyFlyway = new TreeSet<>(flyway);
        onlyFlyway.removeAll(migrator);
        TreeSet<String> onlyMigrator = new TreeSet<>(migrator);
        onlyMigrator.removeAll(flyway);
        assertEquals(List.of(), List.copyOf(onlyFlyway), "only in the Flyway-migrated database");
        assertEquals(List.of(), List.copyOf(onlyMigrator), "only in the SchemaMigrator-migrated database");
    }

    @Test
    void everyVerifierPassesOnTheFlywayMigratedDatabase() {
        for (String verifier : List.of("webhooks.verify_webhook_schema", "billing.verify_billing_schema",
                "consent.verify_consent_schema", "legal.verify_legal_acceptance_integrity")) {
            IntegrityReport report = SqlIntegrityVerifier.of(viaFlyway.dataSource(), verifier).verify();
            assertTrue(report.passed() && report.warnings().isEmpty(), verifier + ": " + report);
        }
        IntegrityReport hardening = SqlIntegrityVerifier.of(viaFlyway.dataSource(), "tollgate.verify_final_hardening")
                .verify();
        List<IntegrityCheck> notPassing = hardening.checks().stream()
                .filter(c -> c.status() != IntegrityCheck.Status.PASS).toList();
        assertEquals(List.of(), notPassing);
    }

    @Test
    void theHistoryCheckReadsFlywaysTablesAndNamesAModuleFlywayDidNotRecord() throws SQLException {
        assertEquals("PASS applied by Flyway, recorded in public.flyway_history_billing, public.flyway_history_consent, "
                + "public.flyway_history_legal, public.flyway_history_tollgate, public.flyway_history_webhooks",
                historyCheck(viaFlyway.dataSource(), null));
        assertEquals("FAIL schemas without recorded migrations: webhooks", historyCheck(viaFlyway.dataSource(),
                "DELETE FROM public.flyway_history_webhooks WHERE script = 'V1__webhook_events.sql'"));
        assertEquals("FAIL schemas without recorded migrations: consent", historyCheck(viaFlyway.dataSource(),
                "UPDATE public.flyway_history_consent SET success = false WHERE script = 'V1__policies_records.sql'"));
        assertEquals("FAIL no migration history: neither tollgate.schema_history nor a Flyway history table",
                historyCheck(viaFlyway.dataSource(), "DROP TABLE public.flyway_history_webhooks, "
                        + "public.flyway_history_billing, public.flyway_history_consent, public.flyway_history_legal, "
                        + "public.flyway_history_tollgate"));
    }

    @Test
    void aLookalikeTableOrAnUnreadableHistoryNeverAbortsTheVerifier() throws SQLException {
        // an application table with the same column names but other types is not taken for a Flyway history
        assertEquals("PASS applied by Flyway, recorded in public.flyway_history_billing, public.flyway_history_consent, "
                + "public.flyway_history_legal, public.flyway_history_tollgate, public.flyway_history_webhooks",
                historyCheck(viaFlyway.dataSource(), "CREATE TABLE public.lookalike (installed_rank int, version text, "
                        + "script text, checksum int, success text); INSERT INTO public.lookalike VALUES "
                        + "(1, '1', 'x', 0, 'yes')"));
        // a role that may read only some history tables gets a WARN naming the others, not an error
        String asRestrictedRole = "CREATE ROLE tollgate_restricted_reader; "
                + "GRANT USAGE ON SCHEMA tollgate, webhooks, billing, consent, legal TO tollgate_restricted_reader; "
                + "GRANT EXECUTE ON FUNCTION tollgate.verify_final_hardening() TO tollgate_restricted_reader; "
                + "GRANT SELECT ON public.flyway_history_billing, public.flyway_history_consent, "
                + "public.flyway_history_legal TO tollgate_restricted_reader; "
                + "GRANT INSERT ON public.flyway_history_webhooks TO tollgate_restricted_reader; "
                + "SET ROLE tollgate_restricted_reader";
        assertEquals("WARN no readable record of migrations for: webhooks; Flyway history tables that "
                + "tollgate_restricted_reader may not read: public.flyway_history_tollgate, "
                + "public.flyway_history_webhooks", historyCheck(viaFlyway.dataSource(), asRestrictedRole));
    }

    /** The schema_history_present row as "STATUS detail", after {@code breakIt} (rolled back) when given. */
    private static String historyCheck(DataSource dataSource, String breakIt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (breakIt != null) {
                    s.execute(breakIt);
                }
                try (ResultSet rs = s.executeQuery("SELECT status, detail FROM tollgate.verify_final_hardening()"
                        + " WHERE check_name = 'schema_history_present'")) {
                    assertTrue(rs.next());
                    return rs.getString(1) + " " + rs.getString(2);
                }
            } finally {
                c.rollback();
            }
        }
    }

    private static TreeSet<String> catalog(DataSource dataSource) throws SQLException {
        TreeSet<String> rows = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(CATALOG)) {
            while (rs.next()) {
                // database names differ between the two (ACLs name roles, not databases, so they compare)
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
