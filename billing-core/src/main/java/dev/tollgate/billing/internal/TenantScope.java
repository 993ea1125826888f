package dev.tollgate.billing.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Scopes the library's own statements for the billing tables' row-level security (migration
 * {@code V3__row_level_security_fails_closed.sql}): a non-owner role sees a tenant row only while the transaction
 * names the tenant ({@code tollgate.tenant_id}) or says it works across tenants ({@code tollgate.cross_tenant =
 * 'on'}). Both are transaction-local settings ({@code set_config(…, true)}, as {@code SET LOCAL}), so they end with
 * the transaction and a pooled connection is never left scoped. For the table owner they change nothing.
 */
public final class TenantScope {

    /** The setting that names the one tenant a transaction works for. */
    public static final String TENANT_SETTING = "tollgate.tenant_id";
    /** The setting that lets a transaction work across tenants when {@code on}. */
    public static final String CROSS_TENANT_SETTING = "tollgate.cross_tenant";

    private TenantScope() {
    }

    /** Work on a connection, inside a transaction the caller or {@link #read} opened. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /**
         * Does the work.
         *
         * @param connection the connection, in a transaction
         * @return the result
         * @throws SQLException when a statement fails
         */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs a read for one tenant in its own short transaction with {@code tollgate.tenant_id} set to the tenant.
     * The connection must be in auto-commit mode (a freshly borrowed one); it is again when this returns.
     *
     * @param connection a connection in auto-commit mode
     * @param tenantId the tenant whose rows the read may see
     * @param work the read
     * @return its result
     * @throws SQLException when a statement or the commit fails (the transaction is rolled back)
     */
    public static <T> T readForTenant(Connection connection, String tenantId, SqlWork<T> work) throws SQLException {
        return read(connection, TENANT_SETTING, tenantId, work);
    }

    /**
     * Runs a read across tenants in its own short transaction with {@code tollgate.cross_tenant = 'on'}. The
     * connection must be in auto-commit mode; it is again when this returns.
     *
     * @param connection a connection in auto-commit mode
     * @param work the read
     * @return its result
     * @throws SQLException when a statement or the commit fails (the transaction is rolled back)
     */
    public static <T> T readAcrossTenants(Connection connection, SqlWork<T> work) throws SQLException {
        return read(connection, CROSS_TENANT_SETTING, "on", work);
    }

    private static <T> T read(Connection connection, String setting, String value, SqlWork<T> work)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            set(connection, setting, value);
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is broken; the pool discards it
            }
        }
    }

    /**
     * Runs work across tenants inside the caller's open transaction: sets {@code tollgate.cross_tenant = 'on'}
     * for the work, then puts back the value it had, so the caller's own statements after it (a transactional
     * webhook handler of the application, in the same claim transaction) are scoped as before. When the work
     * fails the caller rolls the transaction back, which ends the setting too.
     *
     * @param connection a connection with an open transaction (auto-commit off)
     * @param work the work
     * @return its result
     * @throws SQLException when setting or restoring the scope fails
     */
    public static <T> T acrossTenantsInTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        String previous;
        // the select list is evaluated left to right: the old value is read before set_config replaces it
        try (PreparedStatement set = connection.prepareStatement("SELECT coalesce(current_setting('"
                + CROSS_TENANT_SETTING + "', true), ''), set_config('" + CROSS_TENANT_SETTING + "', 'on', true)");
             ResultSet rs = set.executeQuery()) {
            rs.next();
            previous = rs.getString(1);
        }
        T result = work.run(connection);
        set(connection, CROSS_TENANT_SETTING, previous);
        return result;
    }

    private static void set(Connection connection, String setting, String value) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config(?, ?, true)")) {
            set.setString(1, setting);
            set.setString(2, value);
            set.execute();
        }
    }
}
