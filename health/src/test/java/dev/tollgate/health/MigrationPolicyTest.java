package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.migrations.SchemaMigrator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tollgate's migrations are forward-only and additive (README, "Database migrations"): there are no down
 * migrations, so the previous release must keep running on the new schema during a rolling deploy or a
 * rollback of the application. After a module's V1 nothing may drop, rename, truncate, delete or retype.
 * Every module's migrations are on this module's test class path.
 *
 * <p>One exception, by name: the body of a function quoted {@code $maintenance$ … $maintenance$} is not run by
 * applying the migration; it is an operator's documented step or the library's retention (webhooks V3:
 * {@code partition_events()}, {@code drop_event_partition()}), and the tests of its module prove what it keeps.
 */
class MigrationPolicyTest {

    private static final Pattern DESTRUCTIVE = Pattern.compile(
            "\\b(DROP\\s+(TABLE|COLUMN|SCHEMA|VIEW|MATERIALIZED\\s+VIEW|INDEX|TRIGGER|POLICY|CONSTRAINT|FUNCTION|TYPE"
                    + "|SEQUENCE)"
                    + "|RENAME\\s+(TO|COLUMN|CONSTRAINT)|ALTER\\s+COLUMN\\s+\\S+\\s+(SET\\s+DATA\\s+)?TYPE"
                    + "|TRUNCATE|DELETE\\s+FROM)\\b");

    private static final Pattern MAINTENANCE_BODY = Pattern.compile("\\$MAINTENANCE\\$.*?\\$MAINTENANCE\\$",
            Pattern.DOTALL);

    private static final Pattern RECREATE = Pattern.compile(
            "DROP\\s+(POLICY|TRIGGER|INDEX|VIEW)\\s+IF\\s+EXISTS\\s+([A-Z0-9_.\"]+)(\\s+ON\\s+[A-Z0-9_.\"]+)?[^;]*;");

    @Test
    void everyMigrationAfterTheFirstOfItsModuleIsAdditive() throws IOException {
        List<String> migrations = SchemaMigrator.forAllModules().migrations();
        assertTrue(migrations.size() >= 9, "every module's migrations are on the class path: " + migrations);
        List<String> destructive = new ArrayList<>();
        for (String path : migrations) {
            if (path.substring(path.lastIndexOf('/') + 1).startsWith("V1__")) {
                continue; // a module's first migration creates it
            }
            String sql = withoutMaintenanceBodies(withoutComments(read(path)).toUpperCase(Locale.ROOT));
            var m = DESTRUCTIVE.matcher(sql);
            while (m.find()) {
                if (!recreatedInPlace(sql, m.start())) {
                    destructive.add(path + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), destructive, "forward-only and additive: write a new object instead");
    }

    @Test
    void thePolicyCatchesWhatItForbids() {
        for (String sql : List.of("ALTER TABLE x DROP COLUMN y", "DROP TABLE billing.customers",
                "ALTER TABLE a RENAME COLUMN b TO c", "ALTER TABLE a ALTER COLUMN b TYPE bigint", "DELETE FROM a",
                "TRUNCATE billing.audit_log")) {
            assertTrue(DESTRUCTIVE.matcher(sql).find(), sql);
        }
        assertTrue(!DESTRUCTIVE.matcher("CREATE INDEX IF NOT EXISTS a ON b (c); REVOKE ALL ON SCHEMA x FROM PUBLIC")
                .find());
        String replace = "DROP POLICY IF EXISTS TENANT_ISOLATION ON B.T; CREATE POLICY TENANT_ISOLATION ON B.T USING (TRUE);";
        var drop = DESTRUCTIVE.matcher(replace);
        assertTrue(drop.find() && recreatedInPlace(replace, drop.start()), "drop-and-recreate is allowed");
        String moved = "DROP POLICY IF EXISTS TENANT_ISOLATION ON B.T; CREATE POLICY TENANT_ISOLATION ON B.OTHER USING (TRUE);";
        var move = DESTRUCTIVE.matcher(moved);
        assertTrue(move.find() && !recreatedInPlace(moved, move.start()), "re-creating it on another table is not");
        for (String sql : List.of("DROP FUNCTION billing.f()", "DROP TYPE x.t", "DROP SEQUENCE x.s",
                "DROP MATERIALIZED VIEW x.v")) {
            assertTrue(DESTRUCTIVE.matcher(sql).find(), sql);
        }
        String maintenance = withoutMaintenanceBodies("CREATE FUNCTION W.F() RETURNS VOID LANGUAGE PLPGSQL AS"
                + " $MAINTENANCE$ BEGIN DROP TABLE W.OLD; END; $MAINTENANCE$; DROP TABLE W.T;");
        var kept = DESTRUCTIVE.matcher(maintenance);
        assertTrue(kept.find() && kept.group().equals("DROP TABLE") && !kept.find(),
                "a maintenance function's body is exempt, the statements around it are not: " + maintenance);
        String removal = "DROP POLICY IF EXISTS TENANT_ISOLATION ON B.T; CREATE POLICY OTHER ON B.T USING (TRUE);";
        var gone = DESTRUCTIVE.matcher(removal);
        assertTrue(gone.find() && !recreatedInPlace(removal, gone.start()), "dropping for good is not");
    }

    /**
     * {@code DROP POLICY|TRIGGER|INDEX|VIEW IF EXISTS name …} directly followed by {@code CREATE} of the same
     * name is the create-or-replace idiom PostgreSQL lacks for these objects, not a removal.
     */
    private static boolean recreatedInPlace(String sql, int dropStart) {
        var drop = RECREATE.matcher(sql).region(dropStart, sql.length());
        if (!drop.lookingAt()) {
            return false;
        }
        String kind = drop.group(1);
        String name = drop.group(2);
        String on = drop.group(3) == null ? "" : drop.group(3).strip();
        String rest = sql.substring(drop.end()).stripLeading();
        var create = Pattern.compile("^CREATE\\s+(OR\\s+REPLACE\\s+)?(UNIQUE\\s+)?" + kind + "\\s+"
                + Pattern.quote(name) + "\\b[^;]*;").matcher(rest);
        // a policy or trigger is re-created on the same table, not moved to another
        return create.find() && (on.isEmpty() || create.group().replaceAll("\\s+", " ").contains(
                on.replaceAll("\\s+", " ")));
    }

    private static String read(String path) throws IOException {
        try (InputStream in = MigrationPolicyTest.class.getClassLoader().getResourceAsStream(path)) {
            assertTrue(in != null, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Upper-case SQL without the bodies of {@code $maintenance$}-quoted functions (see the class comment). */
    private static String withoutMaintenanceBodies(String sql) {
        return MAINTENANCE_BODY.matcher(sql).replaceAll("\\$MAINTENANCE\\$\\$MAINTENANCE\\$");
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("--[^\\n]*", "");
    }
}
