package dev.tollgate.health.contributors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.Health;
import dev.tollgate.health.Status;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TollgatePostgres
class SqlVerifierHealthContributorTest {

    @BeforeAll
    static void createVerifiers(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA demo");
            s.execute(verifier("all_pass", "VALUES ('tables_exist','PASS','ok'), ('indexes','PASS', NULL)"));
            s.execute(verifier("with_warning", "VALUES ('tables_exist','PASS',''), ('rls','WARN','row level security off')"));
            s.execute(verifier("with_failure", "VALUES ('tables_exist','PASS',''), ('trigger','FAIL','append-only trigger"
                    + " missing'), ('grants','fail','PUBLIC may insert')"));
            s.execute(verifier("odd_status", "VALUES ('x','MAYBE','?'), (NULL, NULL, NULL)"));
            s.execute(verifier("no_rows", "SELECT 'a','PASS','' WHERE false"));
            s.execute(verifier("many", "SELECT 'check_' || (g % 250), 'PASS', repeat('d', 1000) FROM generate_series(1, 500) g"));
            s.execute(verifier("raises", "SELECT 'a', 'PASS', (1/0)::text"));
            s.execute("CREATE TABLE demo.victim(id int)");
        }
    }

    private static String verifier(String name, String body) {
        return "CREATE FUNCTION demo." + name + "() RETURNS TABLE(check_name text, status text, detail text)"
                + " LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY " + body + "; END $$";
    }

    @Test
    void allPassIsUp(DataSource dataSource) {
        Health health = SqlVerifierHealthContributor.of(dataSource, "demo.all_pass").check();
        assertEquals(Status.UP, health.status());
        assertEquals("PASS", health.details().get("check.tables_exist"));
        assertEquals(2, health.details().get("checks"));
        assertEquals("demo.all_pass()", health.details().get("function"));
    }

    @Test
    void warningsStayUpWithTheirDetail(DataSource dataSource) {
        Health health = SqlVerifierHealthContributor.of(dataSource, "demo.with_warning()").check();
        assertEquals(Status.UP, health.status());
        assertEquals("WARN: row level security off", health.details().get("check.rls"));
        assertEquals(1, health.details().get("warnings"));
    }

    @Test
    void anyFailureIsDownNamingTheChecks(DataSource dataSource) {
        Health health = SqlVerifierHealthContributor.of(dataSource, "demo.with_failure").check();
        assertEquals(Status.DOWN, health.status());
        assertEquals("2 of 3 checks of demo.with_failure() failed: trigger, grants", health.reason());
        assertEquals("FAIL: append-only trigger missing", health.details().get("check.trigger"));
    }

    @Test
    void unknownStatusesNullsAndEmptyResultsAreDown(DataSource dataSource) {
        Health odd = SqlVerifierHealthContributor.of(dataSource, "demo.odd_status").check();
        assertEquals(Status.DOWN, odd.status());
        assertEquals("FAIL: unknown status 'MAYBE': ?", odd.details().get("check.x"));
        assertEquals("FAIL: unknown status 'null': ", odd.details().get("check.unnamed_check"));
        Health none = SqlVerifierHealthContributor.of(dataSource, "demo.no_rows").check();
        assertEquals(Status.DOWN, none.status());
        assertEquals("demo.no_rows() returned no checks", none.reason());
    }

    @Test
    void hugeResultsAreCappedAndDuplicatesKept(DataSource dataSource) {
        Health health = SqlVerifierHealthContributor.of(dataSource, "demo.many").check();
        assertEquals(Status.UP, health.status());
        assertEquals(500, health.details().get("checks"));
        assertEquals(400, health.details().get("checks.not_shown"));
        assertTrue(health.details().containsKey("check.check_1#2") || health.details().size() > 100);
        long shown = health.details().keySet().stream().filter(k -> k.startsWith("check.") && !k.equals("checks.not_shown")).count();
        assertEquals(SqlVerifierHealthContributor.MAX_DETAILS, shown);
    }

    @Test
    void missingFunctionsAndErrorsAreDownWithAHint(DataSource dataSource) {
        Health missing = SqlVerifierHealthContributor.of(dataSource, "not_migrated.verify_schema").check();
        assertEquals(Status.DOWN, missing.status());
        assertEquals("not_migrated.verify_schema() does not exist: apply the Tollgate migrations", missing.reason());
        Health missingFn = SqlVerifierHealthContributor.of(dataSource, "demo.nope").check();
        assertEquals("demo.nope() does not exist: apply the Tollgate migrations", missingFn.reason());
        Health raises = SqlVerifierHealthContributor.of(dataSource, "demo.raises").check();
        assertEquals(Status.DOWN, raises.status());
        assertTrue(raises.reason().startsWith("could not run demo.raises(): demo.raises() could not be run (SQL state 22012)"), raises.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "verify", "demo.all_pass; DROP TABLE demo.victim", "demo.all_pass() --",
            "\"demo\".\"all_pass\"", "Demo.All_Pass", "a.b.c", "demo.all pass", "1demo.x", "demo.x(1)",
            "demo.all_pass(); DROP TABLE demo.victim; --"})
    void functionNamesMustBeTwoLowerCaseIdentifiers(String name, DataSource dataSource) throws SQLException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlVerifierHealthContributor.of(dataSource, name));
        assertTrue(e.getMessage().contains("is not a verifier function name"), e.getMessage());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT count(*) FROM demo.victim"); // still there
        }
    }

    @Test
    void overlongIdentifiersAreRefusedAndNotEchoedInFull(DataSource dataSource) {
        String longName = "demo." + "x".repeat(64);
        assertThrows(IllegalArgumentException.class, () -> SqlVerifierHealthContributor.of(dataSource, longName));
        String huge = "demo." + "y".repeat(10_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlVerifierHealthContributor.of(dataSource, huge));
        assertTrue(e.getMessage().length() < 400, "message length " + e.getMessage().length());
        assertFalse(SqlVerifierHealthContributor.of(dataSource, "demo." + "x".repeat(63)).toString().isEmpty());
    }
}
