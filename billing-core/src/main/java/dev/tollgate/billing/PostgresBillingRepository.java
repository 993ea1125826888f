package dev.tollgate.billing;

import dev.tollgate.billing.internal.PostgresUnitOfWork;
import dev.tollgate.billing.internal.TenantScope;
import dev.tollgate.internal.BorrowedConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Billing state in PostgreSQL: the tables {@code billing.tenant_billing}, {@code billing.customers},
 * {@code billing.audit_log} and {@code billing.unresolved_events} created by the migrations in
 * {@code db/tollgate/billing} (apply them with {@code SchemaMigrator.forModules("billing")}).
 *
 * <p>Every read is one prepared statement on a connection borrowed from the data source, in a short transaction
 * scoped for the tables' row-level security: a tenant's state, audit log and customer are read with
 * {@code tollgate.tenant_id} set to that tenant, a tenant looked up by provider customer id with
 * {@code tollgate.cross_tenant = 'on'} (see {@code V3__row_level_security_fails_closed.sql}), so the repository
 * works under a non-owner role whose unscoped sessions see no tenant rows. Writes go
 * through {@link BillingEventApplier#apply(Connection, ProviderEvent)}; an operator's direct SQL update
 * of {@code billing.tenant_billing} is audited by trigger and announced with {@code NOTIFY
 * tollgate_billing} (see {@link PostgresBillingListener}).
 */
public final class PostgresBillingRepository implements BillingRepository {

    /** Default bound on how long a read waits for the database: a gate's cache miss is one indexed read. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final Duration timeout;

    /**
     * Creates the repository, its reads bounded by {@link #DEFAULT_TIMEOUT}.
     *
     * @param dataSource the database with the billing migrations applied
     */
    public PostgresBillingRepository(DataSource dataSource) {
        this(dataSource, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the repository with a bound on how long each read may wait for the database. It holds when the
     * database hangs rather than fails (a frozen host, a half-open connection): the read fails after it, and the
     * gate serves its last cached state for the tenant, or allows (fails open). It is the borrowed connection's
     * network timeout, put back when the connection returns to the pool.
     *
     * @param dataSource the database with the billing migrations applied
     * @param timeout positive
     */
    public PostgresBillingRepository(DataSource dataSource, Duration timeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.timeout = BorrowedConnection.requirePositive(timeout);
    }

    /** @return how long each read may wait for the database */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Optional<TenantBilling> find(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout)) {
            Connection connection = borrowed.connection();
            if (connection.getAutoCommit()) {
                return findInOneRoundTrip(connection, tenantId);
            }
            return TenantScope.readForTenant(connection, tenantId, c -> {
                try (PreparedStatement select = c.prepareStatement(FIND)) {
                    select.setString(1, tenantId);
                    try (ResultSet rs = select.executeQuery()) {
                        return rs.next() ? Optional.of(PostgresUnitOfWork.readState(rs)) : Optional.empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("read billing.tenant_billing", e);
        }
    }

    private static final String FIND = "SELECT " + PostgresUnitOfWork.STATE_COLUMNS
            + " FROM billing.tenant_billing WHERE tenant_id = ?";

    /**
     * The gate's cache miss in one round trip: the tenant scope and the read are two statements sent together in
     * auto-commit mode, which the driver ends with one Sync, so PostgreSQL runs them in one implicit transaction and
     * the transaction-local {@code tollgate.tenant_id} holds for the read and ends with it (also behind a
     * transaction-mode pooler). Instead of begin + scope, read, commit: three round trips.
     */
    private static Optional<TenantBilling> findInOneRoundTrip(Connection connection, String tenantId)
            throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT set_config('" + TenantScope.TENANT_SETTING
                + "', ?, true); " + FIND)) {
            s.setString(1, tenantId);
            s.setString(2, tenantId);
            s.execute();
            if (!s.getMoreResults()) {
                throw new SQLException("the tenant-scoped read returned no result", "XX000");
            }
            try (ResultSet rs = s.getResultSet()) {
                return rs.next() ? Optional.of(PostgresUnitOfWork.readState(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<AuditEntry> auditLog(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout)) {
            return TenantScope.readForTenant(borrowed.connection(), tenantId, c -> {
                List<AuditEntry> entries = new ArrayList<>();
                try (PreparedStatement select = c.prepareStatement("SELECT tenant_id, from_status, to_status,"
                        + " cause_event_id, at FROM billing.audit_log WHERE tenant_id = ? ORDER BY id")) {
                    select.setString(1, tenantId);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            String from = rs.getString(2);
                            entries.add(new AuditEntry(rs.getString(1),
                                    from == null ? null : BillingStatus.fromWireName(from),
                                    BillingStatus.fromWireName(rs.getString(3)), rs.getString(4),
                                    rs.getObject(5, OffsetDateTime.class).toInstant()));
                        }
                    }
                }
                return entries;
            });
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("read billing.audit_log", e);
        }
    }

    @Override
    public List<UnresolvedEvent> unresolvedEvents() {
        List<UnresolvedEvent> events = new ArrayList<>();
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout);
             PreparedStatement select = borrowed.connection().prepareStatement("SELECT provider, event_id, event_type, customer_id, reason,"
                     + " received_at FROM billing.unresolved_events WHERE resolved_at IS NULL"
                     + " ORDER BY received_at, event_id")) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(new UnresolvedEvent(BillingProvider.fromWireName(rs.getString(1)), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("read billing.unresolved_events", e);
        }
        return events;
    }

    @Override
    public Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
        return single("SELECT tenant_id FROM billing.customers WHERE provider = ? AND customer_id = ?",
                Objects.requireNonNull(provider, "provider").wireName(), Objects.requireNonNull(customerId, "customerId"),
                null);
    }

    @Override
    public Optional<String> customerOf(BillingProvider provider, String tenantId) {
        return single("SELECT customer_id FROM billing.customers WHERE provider = ? AND tenant_id = ?"
                        + " ORDER BY customer_id LIMIT 1",
                Objects.requireNonNull(provider, "provider").wireName(), Objects.requireNonNull(tenantId, "tenantId"),
                tenantId);
    }

    /** One value of billing.customers, read for {@code tenantId}, or across tenants when it is null. */
    private Optional<String> single(String sql, String first, String second, @Nullable String tenantId) {
        TenantScope.SqlWork<Optional<String>> read = c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, first);
                select.setString(2, second);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        };
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout)) {
            return tenantId == null ? TenantScope.readAcrossTenants(borrowed.connection(), read)
                    : TenantScope.readForTenant(borrowed.connection(), tenantId, read);
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("read billing.customers", e);
        }
    }

    /**
     * Runs {@code billing.verify_billing_schema()}.
     *
     * @return its rows; all {@code PASS} on a healthy database
     */
    public List<SchemaCheck> verifySchema() {
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout)) {
            // across tenants: its row checks (every tenant has an audit row, …) must see every tenant's rows
            return TenantScope.readAcrossTenants(borrowed.connection(), c -> {
                List<SchemaCheck> checks = new ArrayList<>();
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT check_name, status, detail FROM billing.verify_billing_schema()");
                     ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        checks.add(new SchemaCheck(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return checks;
            });
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("run billing.verify_billing_schema()", e);
        }
    }

    @Override
    public String toString() {
        return "PostgresBillingRepository";
    }
}
