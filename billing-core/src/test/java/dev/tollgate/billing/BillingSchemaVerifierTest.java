package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code billing.verify_billing_schema()} with one thing broken at a time: the named check FAILs and says
 * what is wrong, and the function still answers every check (a missing table never turns into an SQL error).
 * Each breakage runs in a transaction that is rolled back after the verifier has seen it.
 */
@TollgatePostgres
class BillingSchemaVerifierTest {

    @ParameterizedTest(name = "{0} → {1} FAIL")
    @CsvSource(delimiter = '|', value = {
        "DROP TABLE billing.audit_log CASCADE | tables_exist | missing: audit_log",
        "DROP TABLE billing.audit_log CASCADE | every_tenant_audited | billing.audit_log is missing",
        "DROP TABLE billing.tenant_billing CASCADE | tables_exist | missing: tenant_billing",
        "DROP TABLE billing.tenant_billing CASCADE | audit_and_notify_triggers | billing.tenant_billing is missing",
        "DROP TABLE billing.tenant_billing CASCADE | status_constraint | billing.tenant_billing is missing",
        "DROP TABLE billing.unresolved_events | unresolved_events | billing.unresolved_events is missing",
        "ALTER TABLE billing.tenant_billing DROP CONSTRAINT tenant_billing_status_check | status_constraint | Stripe statuses",
        "DROP INDEX billing.customers_tenant_idx | customers_tenant_index | indexed",
        "DROP TRIGGER tenant_billing_before_write ON billing.tenant_billing | audit_and_notify_triggers | tenant_billing_before_write",
    })
    void breakingSomethingFailsItsCheck(String breakIt, String check, String named, DataSource dataSource)
            throws SQLException {
        Map<String, String> checks = checksAfter(dataSource, breakIt);
        assertEquals(6, checks.size(), "every check still answers: " + checks);
        assertTrue(checks.get(check).startsWith("FAIL "), check + ": " + checks.get(check));
        assertTrue(checks.get(check).contains(named), check + ": " + checks.get(check));
    }

    @ParameterizedTest(name = "{0} → {1} WARN")
    @CsvSource(delimiter = '|', value = {
        "ALTER TABLE billing.tenant_billing DISABLE TRIGGER USER; INSERT INTO billing.tenant_billing (tenant_id, status) VALUES ('t_unaudited', 'active') | every_tenant_audited | 1 tenant(s) without an audit row",
    })
    void aTenantWithoutAuditRowWarns(String breakIt, String check, String named, DataSource dataSource)
            throws SQLException {
        Map<String, String> checks = checksAfter(dataSource, breakIt);
        assertEquals("WARN " + named, checks.get(check));
    }

    private static Map<String, String> checksAfter(DataSource dataSource, String breakIt) throws SQLException {
        Map<String, String> checks = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(breakIt);
                try (ResultSet rs = s.executeQuery("SELECT check_name, status, detail FROM billing.verify_billing_schema()")) {
                    while (rs.next()) {
                        checks.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return checks;
    }
}
