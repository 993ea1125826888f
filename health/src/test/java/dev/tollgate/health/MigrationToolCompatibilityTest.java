package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.migrations.MigrationTool;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One set of SQL files, three tools: applied through Flyway (one history table per module), through Liquibase
 * (each module's shipped changelog, into Tollgate's own changelog table) or by the application's own Liquibase
 * including Tollgate's master changelog, Tollgate's migrations build the same schema object for object as its
 * own {@code SchemaMigrator}, every integrity verifier passes on each, and {@code verify_final_hardening()}
 * recognises each tool's history. The changelogs list exactly the SQL files, so the files stay the one source.
 */
class MigrationToolCompatibilityTest {

    /** The modules in the order SchemaMigrator applies them. */
    private static final List<String> MODULES = List.of("webhooks", "billing", "consent", "legal", "tollgate");
    private static final Pattern SQL_FILE = Pattern.compile("<sqlFile path=\"([^\"]+)\"");
    private static final Pattern CHANGE_SET_ID = Pattern.compile("<changeSet id=\"([^\"]+)\" author=\"tollgate\">");

    /** Every object of Tollgate's schemas that a migration creates, as comparable text. */
    private static final String CATALOG = """
            SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
                   || ' null=' || is_nullable || ' default=' || coalesce(column_default, '')
              FROM information_schema.columns WHERE table_schema IN ('webhooks', 'billing', 'consent', 'legal')
            UNION ALL
            SELECT 'index ' || schemaname || '.' || indexname || ' ' || indexdef
              FROM pg_indexes WHERE schemaname IN ('webhooks', 'billing', 'consent', 'legal', 'tollgate')
                AND tablename <> 'schema_history' AND tablename NOT LIKE 'flyway\\_%\\_history'
                AND tablename NOT LIKE 'liquibase\\_changelog%'
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
    private static TestDatabase viaLiquibase;
    private static TestDatabase viaUsersLiquibase;
    private static TestDatabase viaMigrator;

    @BeforeAll
    static void migrateFourDatabases() throws Exception {
        viaFlyway = TestPostgres.shared().createDatabase();
        assertEquals(SchemaMigrator.forAllModules().migrations().size(),
                SchemaMigrator.forAllModules().using(MigrationTool.FLYWAY).migrate(viaFlyway.dataSource()).size());
        viaLiquibase = TestPostgres.shared().createDatabase();
        assertEquals(SchemaMigrator.forAllModules().migrations().size(),
                SchemaMigrator.forAllModules().using(MigrationTool.LIQUIBASE).migrate(viaLiquibase.dataSource()).size());
        // An application's own Liquibase with <include file="db/tollgate/changelog.xml"/> in its changelog.
        viaUsersLiquibase = TestPostgres.shared().createDatabase();
        try (Connection c = viaUsersLiquibase.dataSource().getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            new Liquibase("db/tollgate/changelog.xml", new ClassLoaderResourceAccessor(), database)
                    .update(new Contexts(), new LabelExpression());
        }
        viaMigrator = TestPostgres.shared().createDatabase().migrate();
    }

    @AfterAll
    static void dropDatabases() {
        for (TestDatabase database : new TestDatabase[] {viaFlyway, viaLiquibase, viaUsersLiquibase, viaMigrator}) {
            if (database != null) {
                database.close();
            }
        }
    }

    private static DataSource database(String tool) {
        return switch (tool) {
            case "flyway" -> viaFlyway.dataSource();
            case "liquibase" -> viaLiquibase.dataSource();
            case "users-liquibase" -> viaUsersLiquibase.dataSource();
            default -> throw new IllegalArgumentException(tool);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"flyway", "liquibase", "users-liquibase"})
    void eachToolBuildsTheSameSchemaAsSchemaMigrator(String tool) throws SQLException {
        TreeSet<String> other = catalog(database(tool));
        TreeSet<String> migrator = catalog(viaMigrator.dataSource());
        assertTrue(other.size() > 100, "the catalog query sees the schema: " + other.size() + " objects");
        TreeSet<String> onlyOther = new TreeSet<>(other);
        onlyOther.removeAll(migrator);
        TreeSet<String> onlyMigrator = new TreeSet<>(migrator);
        onlyMigrator.removeAll(other);
        assertEquals(List.of(), List.copyOf(onlyOther), "only in the database migrated by " + tool);
        assertEquals(List.of(), List.copyOf(onlyMigrator), "only in the SchemaMigrator-migrated database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"flyway", "liquibase", "users-liquibase"})
    void everyVerifierPassesOnADatabaseEachToolMigrated(String tool) {
        DataSource dataSource = database(tool);
        for (String verifier : List.of("webhooks.verify_webhook_schema", "billing.verify_billing_schema",
                "consent.verify_consent_schema", "legal.verify_legal_acceptance_integrity")) {
            IntegrityReport report = SqlIntegrityVerifier.of(dataSource, verifier).verify();
            assertTrue(report.passed() && report.warnings().isEmpty(), verifier + ": " + report);
        }
        IntegrityReport hardening = SqlIntegrityVerifier.of(dataSource, "tollgate.verify_final_hardening").verify();
        List<IntegrityCheck> notPassing = hardening.checks().stream()
                .filter(c -> c.status() != IntegrityCheck.Status.PASS).toList();
        assertEquals(List.of(), notPassing);
    }

    @Test
    void theChangelogsListExactlyTheSqlFilesInOrderWithTheFileNameAsId() throws IOException {
        List<String> fromChangelogs = new ArrayList<>();
        for (String module : MODULES) {
            String changelog = read("db/tollgate/" + module + "/changelog.xml");
            List<String> ids = all(CHANGE_SET_ID, changelog);
            List<String> files = all(SQL_FILE, changelog);
            assertEquals(ids, files, module + ": each change set is named after its file");
            assertTrue(changelog.contains("logicalFilePath=\"db/tollgate/" + module + "/changelog.xml\""), module);
            files.forEach(file -> fromChangelogs.add("db/tollgate/" + module + "/" + file));
        }
        assertEquals(SchemaMigrator.forAllModules().migrations(), fromChangelogs,
                "the SQL files are the one source: every file has its change set, in version order");
        String master = read("db/tollgate/changelog.xml");
        assertEquals(MODULES.stream().map(m -> "db/tollgate/" + m + "/changelog.xml").toList(),
                all(Pattern.compile("<include file=\"([^\"]+)\""), master), "the master includes every module in order");
    }

    @Test
    void theHistoryCheckReadsFlywaysTablesAndNamesAModuleFlywayDidNotRecord() throws SQLException {
        DataSource flyway = viaFlyway.dataSource();
        assertEquals("PASS every installed module's migrations are recorded in tollgate.flyway_billing_history, "
                + "tollgate.flyway_consent_history, tollgate.flyway_legal_history, tollgate.flyway_webhooks_history",
                historyCheck(flyway, null));
        assertEquals("FAIL schemas without recorded migrations: webhooks", historyCheck(flyway,
                "DELETE FROM tollgate.flyway_webhooks_history WHERE script = 'V1__webhook_events.sql'"));
        assertEquals("FAIL schemas without recorded migrations: consent", historyCheck(flyway,
                "UPDATE tollgate.flyway_consent_history SET success = false WHERE script = 'V1__policies_records.sql'"));
        assertEquals("FAIL no migration history: neither tollgate.schema_history nor a Flyway or Liquibase history table",
                historyCheck(flyway, "DROP TABLE tollgate.flyway_webhooks_history, tollgate.flyway_billing_history, "
                        + "tollgate.flyway_consent_history, tollgate.flyway_legal_history, "
                        + "tollgate.flyway_tollgate_history"));
        assertEquals("FAIL schemas without recorded migrations: billing, consent, legal, webhooks",
                historyCheck(flyway, "CREATE TABLE public.flyway_schema_history (installed_rank int, version text,"
                        + " script text, checksum int, success boolean); INSERT INTO public.flyway_schema_history"
                        + " VALUES (1, '1', 'V1__app.sql', 0, true); DROP TABLE tollgate.flyway_webhooks_history,"
                        + " tollgate.flyway_billing_history, tollgate.flyway_consent_history, tollgate.flyway_legal_history"),
                "the application's own history does not stand in for Tollgate's");
    }

    @Test
    void theHistoryCheckReadsLiquibasesChangelogWhateverItIsCalled() throws SQLException {
        assertEquals("PASS every installed module's migrations are recorded in tollgate.liquibase_changelog",
                historyCheck(viaLiquibase.dataSource(), null));
        assertEquals("PASS every installed module's migrations are recorded in public.databasechangelog",
                historyCheck(viaUsersLiquibase.dataSource(), null));
        assertEquals("FAIL schemas without recorded migrations: legal", historyCheck(viaLiquibase.dataSource(),
                "DELETE FROM tollgate.liquibase_changelog WHERE id = 'V1__documents_acceptances_audit_log.sql'"));
    }

    @Test
    void aModuleMigratedByOneToolAndTheNextByAnotherPasses() throws SQLException {
        // SchemaMigrator's history plus Flyway's: a service that adopted Flyway after its first release
        assertEquals("PASS every installed module's migrations are recorded in tollgate.flyway_billing_history, "
                + "tollgate.schema_history", historyCheck(viaFlyway.dataSource(),
                "CREATE TABLE tollgate.schema_history (module text, version int, description text, checksum text,"
                        + " installed_at timestamptz, execution_ms bigint); INSERT INTO tollgate.schema_history VALUES"
                        + " ('webhooks', 1, 'x', 'x', now(), 0), ('consent', 1, 'x', 'x', now(), 0),"
                        + " ('legal', 1, 'x', 'x', now(), 0); DROP TABLE tollgate.flyway_webhooks_history,"
                        + " tollgate.flyway_consent_history, tollgate.flyway_legal_history"));
    }

    @Test
    void aLookalikeTableOrAnUnreadableHistoryNeverAbortsTheVerifier() throws SQLException {
        DataSource flyway = viaFlyway.dataSource();
        // an application table with the same column names but other types is not taken for a Flyway history
        assertEquals("PASS every installed module's migrations are recorded in tollgate.flyway_billing_history, "
                + "tollgate.flyway_consent_history, tollgate.flyway_legal_history, tollgate.flyway_webhooks_history",
                historyCheck(flyway, "CREATE TABLE public.lookalike (installed_rank int, version text, "
                        + "script text, checksum int, success text); INSERT INTO public.lookalike VALUES "
                        + "(1, '1', 'x', 0, 'yes')"));
        // a role that may read only some history tables gets a WARN naming the others, not an error
        String asRestrictedRole = "CREATE ROLE tollgate_restricted_reader; "
                + "GRANT USAGE ON SCHEMA tollgate, webhooks, billing, consent, legal TO tollgate_restricted_reader; "
                + "GRANT EXECUTE ON FUNCTION tollgate.verify_final_hardening() TO tollgate_restricted_reader; "
                + "GRANT SELECT ON tollgate.flyway_billing_history, tollgate.flyway_consent_history, "
                + "tollgate.flyway_legal_history TO tollgate_restricted_reader; "
                + "GRANT INSERT ON tollgate.flyway_webhooks_history TO tollgate_restricted_reader; "
                + "SET ROLE tollgate_restricted_reader";
        assertEquals("WARN no readable record of migrations for: webhooks; history tables that "
                + "tollgate_restricted_reader may not read: tollgate.flyway_tollgate_history, "
                + "tollgate.flyway_webhooks_history", historyCheck(flyway, asRestrictedRole));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = MigrationToolCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is on the class path");
            // without the comments, which show include lines as examples
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?s)<!--.*?-->", "");
        }
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
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
