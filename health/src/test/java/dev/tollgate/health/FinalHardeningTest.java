package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tollgate.verify_final_hardening()} on a freshly migrated database (every module on the test class
 * path), then with one thing broken at a time: the named check must FAIL and say what is wrong. PostgreSQL
 * DDL and GRANTs are transactional, so each breakage runs in a transaction that is rolled back after the
 * verifier has seen it: one database serves every case.
 */
@TollgatePostgres
class FinalHardeningTest {

    private static final String FUNCTION = "tollgate.verify_final_hardening";

    @Test
    void aFreshMigrationPassesEveryCheck(DataSource dataSource) {
        IntegrityReport report = SqlIntegrityVerifier.of(dataSource, FUNCTION).verify();
        assertTrue(report.checks().size() >= 15, "at least 15 checks: " + report.checks().size());
        List<IntegrityCheck> notPassing = report.checks().stream()
                .filter(c -> c.status() != IntegrityCheck.Status.PASS).toList();
        assertEquals(List.of(), notPassing);
        Set<String> names = report.checks().stream().map(IntegrityCheck::name).collect(Collectors.toSet());
        assertEquals(report.checks().size(), names.size(), "check names are unique");
        // every module's own verifier passes too (the V2 migrations did not break them)
        for (String verifier : List.of("webhooks.verify_webhook_schema", "billing.verify_billing_schema",
                "consent.verify_consent_schema", "legal.verify_legal_acceptance_integrity")) {
            IntegrityReport own = SqlIntegrityVerifier.of(dataSource, verifier).verify();
            assertTrue(own.passed() && own.warnings().isEmpty(), verifier + ": " + own);
        }
    }

    @ParameterizedTest(name = "{0} → {1} FAIL")
    @CsvSource(delimiter = '|', value = {
        "ALTER TABLE consent.records DISABLE TRIGGER records_append_only | consent_append_only_triggers | records_append_only",
        "ALTER TABLE legal.audit_log DISABLE TRIGGER audit_log_chain | legal_append_only_triggers | audit_log_chain",
        "DROP TRIGGER tenant_billing_after_write ON billing.tenant_billing | billing_audit_triggers | tenant_billing_after_write",
        "ALTER TABLE legal.documents DISABLE TRIGGER USER | no_disabled_triggers | legal.documents:documents_immutable",
        "GRANT SELECT ON billing.customers TO PUBLIC | no_public_table_grants | billing.customers (SELECT)",
        "GRANT USAGE ON SCHEMA consent TO PUBLIC | no_public_schema_privileges | consent (USAGE)",
        "GRANT EXECUTE ON FUNCTION legal.verify_legal_acceptance_integrity() TO PUBLIC | no_public_function_execute | legal.verify_legal_acceptance_integrity()",
        "CREATE FUNCTION webhooks.later() RETURNS int LANGUAGE sql AS 'SELECT 1' | no_public_function_execute | webhooks.later()",
        "DROP INDEX webhooks.events_lease_idx | webhooks_indexes | webhooks.events_lease_idx",
        "DROP INDEX consent.records_subject_idx | consent_indexes | consent.records_subject_idx",
        "ALTER TABLE billing.tenant_billing DISABLE ROW LEVEL SECURITY | rls_enabled_on_tenant_tables | billing.tenant_billing",
        "DROP POLICY tenant_isolation ON billing.audit_log | tenant_policies_present | billing.audit_log",
        "ALTER TABLE webhooks.events DROP CONSTRAINT events_state_check | required_constraints | webhooks.events events_state_check",
        "CREATE FUNCTION billing.escalate() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'; REVOKE ALL ON FUNCTION billing.escalate() FROM PUBLIC | security_definer_search_path | billing.escalate()",
        "CREATE TABLE legal.scratch (note text) | tables_have_primary_keys | legal.scratch",
        "DROP FUNCTION consent.verify_consent_schema() | verifier_functions_present | consent.verify_consent_schema",
        "DELETE FROM tollgate.schema_history WHERE module = 'webhooks' | schema_history_present | webhooks",
        "CREATE POLICY open_reads ON billing.customers FOR SELECT USING (true) | tenant_policies_deny_when_unset | billing.customers",
        "CREATE POLICY open_inserts ON billing.audit_log FOR INSERT WITH CHECK (true) | tenant_policies_deny_when_unset | billing.audit_log",
    })
    void breakingSomethingFailsItsCheck(String breakIt, String check, String named, DataSource dataSource)
            throws SQLException {
        IntegrityReport report = verifyAfter(dataSource, breakIt);
        IntegrityCheck broken = report.check(check);
        assertEquals(IntegrityCheck.Status.FAIL, broken.status(), broken.toString());
        assertTrue(broken.detail().contains(named), broken.detail());
    }

    @Test
    void theFailOpenPolicyOfBillingV2FailsAndARestrictivePolicyThatDeniesPasses(DataSource dataSource)
            throws SQLException {
        // billing's V2 policy, as it was before V3: every row while tollgate.tenant_id is unset or empty
        IntegrityReport report = verifyAfter(dataSource, "DROP POLICY tenant_isolation ON billing.tenant_billing;"
                + " CREATE POLICY tenant_isolation ON billing.tenant_billing"
                + " USING (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id))"
                + " WITH CHECK (coalesce(current_setting('tollgate.tenant_id', true), '') IN ('', tenant_id))");
        IntegrityCheck check = report.check("tenant_policies_deny_when_unset");
        assertEquals(IntegrityCheck.Status.FAIL, check.status(), check.toString());
        assertTrue(check.detail().contains("billing.tenant_billing") && !check.detail().contains("billing.customers"),
                check.detail());
        assertEquals(IntegrityCheck.Status.PASS, report.check("tenant_policies_present").status(),
                "the old check alone could not tell: the policy names tollgate.tenant_id");

        // an open permissive policy that a restrictive one still limits: no row is visible, so it passes
        IntegrityReport limited = verifyAfter(dataSource,
                "CREATE POLICY open_reads ON billing.customers FOR SELECT USING (true);"
                        + " CREATE POLICY only_named ON billing.customers AS RESTRICTIVE"
                        + " USING (tenant_id = current_setting('tollgate.tenant_id', true))");
        assertEquals(IntegrityCheck.Status.PASS, limited.check("tenant_policies_deny_when_unset").status(),
                limited.check("tenant_policies_deny_when_unset").toString());
    }

    @Test
    void theCheckLeavesTheCallersTenantSettingAsItWas(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL tollgate.tenant_id = 'tenant-a'");
                try (ResultSet rs = s.executeQuery("SELECT status FROM " + FUNCTION
                        + "() WHERE check_name = 'tenant_policies_deny_when_unset'")) {
                    rs.next();
                    assertEquals("PASS", rs.getString(1));
                }
                try (ResultSet rs = s.executeQuery("SELECT current_setting('tollgate.tenant_id')")) {
                    rs.next();
                    assertEquals("tenant-a", rs.getString(1));
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void aDatabaseWithOnlySomeModulesWarnsInsteadOfFailing(DataSource dataSource) throws SQLException {
        IntegrityReport report = verifyAfter(dataSource,
                "DROP SCHEMA consent CASCADE; DELETE FROM tollgate.schema_history WHERE module = 'consent'");
        assertTrue(report.passed(), report.failures().toString());
        assertEquals(IntegrityCheck.Status.WARN, report.check("module_schemas_present").status());
        assertTrue(report.check("module_schemas_present").detail().contains("consent"));
        assertEquals(IntegrityCheck.Status.WARN, report.check("consent_indexes").status());
    }

    @Test
    void theBreakagesWereRolledBack(DataSource dataSource) {
        assertTrue(SqlIntegrityVerifier.of(dataSource, FUNCTION).verify().passed());
    }

    /** Runs {@code breakIt}, then the verifier, in one transaction that is rolled back. */
    private static IntegrityReport verifyAfter(DataSource dataSource, String breakIt) throws SQLException {
        List<IntegrityCheck> checks = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(breakIt);
                try (ResultSet rs = s.executeQuery("SELECT check_name, status, detail FROM " + FUNCTION + "()")) {
                    while (rs.next()) {
                        checks.add(new IntegrityCheck(rs.getString(1), IntegrityCheck.Status.parse(rs.getString(2)),
                                rs.getString(3)));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return new IntegrityReport(checks);
    }
}
