package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Row-level security on billing.tenant_billing, billing.customers and billing.audit_log (migration V3, fails
 * closed), seen through a non-owner role as an operator would run request code: unscoped it sees no tenant row,
 * scoped with {@code SET LOCAL tollgate.tenant_id} it sees and writes only its tenant, with
 * {@code SET LOCAL tollgate.cross_tenant = 'on'} every tenant. The library's own work (webhook → billing, the
 * gate, the repository's reads and schema check) runs under a non-owner login role with the grants the migration
 * documents, and leaves no scope behind on a pooled connection.
 */
@TollgatePostgres
class TenantRowLevelSecurityTest {

    private static final String ROLE = "tollgate_rls_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void tenantsAndARole(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String tenant : List.of("tenant-a", "tenant-b")) {
                BillingGatePostgresTest.setStatus(ds, tenant, "active");
                s.execute("INSERT INTO billing.customers (provider, customer_id, tenant_id, source_event_id)"
                        + " VALUES ('stripe', 'cus_" + tenant + "', '" + tenant + "', 'evt_setup')");
            }
            s.execute("CREATE ROLE " + ROLE + " NOLOGIN");
            s.execute("GRANT USAGE ON SCHEMA billing TO " + ROLE);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA billing TO " + ROLE);
            s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA billing TO " + ROLE);
        }
    }

    @AfterAll
    static void dropRole(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP OWNED BY " + ROLE);
            s.execute("DROP ROLE " + ROLE);
        }
    }

    /** Runs {@code work} in one transaction as the non-owner role, scoped to {@code tenant} when not null. */
    private static <T> T asServiceRole(DataSource ds, String tenant, SqlWork<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE " + ROLE);
            }
            if (tenant != null) {
                try (PreparedStatement scope = c.prepareStatement("SELECT set_config('tollgate.tenant_id', ?, true)")) {
                    scope.setString(1, tenant);
                    scope.execute();
                }
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private static List<String> tenants(Connection c, String table) throws SQLException {
        List<String> tenants = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT tenant_id FROM billing." + table + " ORDER BY 1")) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        }
        return tenants;
    }

    @Test
    void anUnscopedServiceRoleSeesNoTenantRow(DataSource ds) throws SQLException {
        for (String table : List.of("tenant_billing", "customers", "audit_log")) {
            assertEquals(List.of(), asServiceRole(ds, null, c -> tenants(c, table)), table + ", never set");
            assertEquals(List.of(), asServiceRole(ds, "", c -> tenants(c, table)), table + ", set to ''");
            assertEquals(List.of(), asServiceRole(ds, null, c -> {
                setLocal(c, "tollgate.cross_tenant", "off");
                return tenants(c, table);
            }), table + ", cross_tenant off");
        }
        int written = asServiceRole(ds, null, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE billing.tenant_billing SET status = 'canceled'");
            }
        });
        assertEquals(0, written, "an unscoped UPDATE without WHERE touches nothing");
        SQLException refused = assertThrows(SQLException.class, () -> asServiceRole(ds, null, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO billing.customers (provider, customer_id, tenant_id, source_event_id)"
                        + " VALUES ('stripe', 'cus_unscoped', 'tenant-a', 'evt_x')");
            }
        }));
        assertEquals("42501", refused.getSQLState(), refused.getMessage());
    }

    @Test
    void anExplicitlyCrossTenantTransactionSeesEveryTenant(DataSource ds) throws SQLException {
        for (String table : List.of("tenant_billing", "customers", "audit_log")) {
            assertEquals(List.of("tenant-a", "tenant-b"), asServiceRole(ds, null, c -> {
                setLocal(c, "tollgate.cross_tenant", "on");
                return tenants(c, table);
            }), table);
        }
    }

    private static void setLocal(Connection c, String setting, String value) throws SQLException {
        try (PreparedStatement set = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            set.setString(1, setting);
            set.setString(2, value);
            set.execute();
        }
    }

    @Test
    void aSessionScopedToTenantACannotReadTenantB(DataSource ds) throws SQLException {
        for (String table : List.of("tenant_billing", "customers", "audit_log")) {
            assertEquals(List.of("tenant-a"), asServiceRole(ds, "tenant-a", c -> tenants(c, table)), table);
        }
        int visible = asServiceRole(ds, "tenant-a", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM billing.tenant_billing WHERE tenant_id = ?")) {
                s.setString(1, "tenant-b");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        assertEquals(0, visible, "asking for tenant B by id finds nothing");
    }

    @Test
    void aScopedSessionCannotWriteAnotherTenantButWritesItsOwnWithItsAuditRow(DataSource ds) throws SQLException {
        int updated = asServiceRole(ds, "tenant-a", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE billing.tenant_billing SET status = 'canceled' WHERE tenant_id = 'tenant-b'");
            }
        });
        assertEquals(0, updated);
        SQLException refused = assertThrows(SQLException.class, () -> asServiceRole(ds, "tenant-a", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO billing.customers (provider, customer_id, tenant_id, source_event_id)"
                        + " VALUES ('stripe', 'cus_x', 'tenant-b', 'evt_x')");
            }
        }));
        assertEquals("42501", refused.getSQLState(), refused.getMessage());
        int own = asServiceRole(ds, "tenant-a", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE billing.tenant_billing SET status = 'past_due' WHERE tenant_id = 'tenant-a'");
            }
        });
        assertEquals(1, own);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tenant_id, to_status FROM billing.audit_log ORDER BY id DESC LIMIT 1")) {
            rs.next();
            assertEquals("tenant-a", rs.getString(1));
            assertEquals("past_due", rs.getString(2));
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status FROM billing.tenant_billing WHERE tenant_id = 'tenant-b'")) {
            rs.next();
            assertEquals("active", rs.getString(1), "tenant B untouched");
        }
        BillingGatePostgresTest.setStatus(ds, "tenant-a", "active");
    }

    @Test
    void theScopeEndsWithTheTransactionSoAPooledConnectionIsNotLeftScoped(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE " + ROLE);
                s.execute("SET LOCAL tollgate.tenant_id = 'tenant-a'");
                assertEquals(List.of("tenant-a"), tenants(c, "tenant_billing"));
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE " + ROLE);
                assertEquals(List.of(), tenants(c, "tenant_billing"), "the next transaction is unscoped: no rows");
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    @Test
    void theOwnerBypassesTheScopeAsDocumented(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL tollgate.tenant_id = 'tenant-a'");
            }
            assertEquals(List.of("tenant-a", "tenant-b"), tenants(c, "tenant_billing"));
            c.commit();
            c.setAutoCommit(true);
        }
    }
}
