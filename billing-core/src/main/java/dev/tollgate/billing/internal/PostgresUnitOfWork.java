package dev.tollgate.billing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.billing.BillingException;
import dev.tollgate.billing.BillingProvider;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.ProviderEvent;
import dev.tollgate.billing.TenantBilling;
import dev.tollgate.internal.PoolerDiagnosis;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A {@link BillingUnitOfWork} on a caller's JDBC connection; never commits or rolls back itself. */
public final class PostgresUnitOfWork implements BillingUnitOfWork {

    /** The columns of billing.tenant_billing read by {@link #readState(ResultSet)}. */
    public static final String STATE_COLUMNS = "tenant_id, status, provider, customer_id, subscription_id, plan_id,"
            + " entitlement_ids, current_period_end, grace_until, status_since, source_event_id,"
            + " source_event_created, details_event_id, details_event_created";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;

    /**
     * Creates the unit of work.
     *
     * @param connection a connection with an open transaction (auto-commit off)
     */
    public PostgresUnitOfWork(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Optional<TenantBilling> lockTenant(String tenantId) {
        try {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended(?, 7262))")) {
                lock.setString(1, tenantId);
                lock.execute();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + STATE_COLUMNS + " FROM billing.tenant_billing WHERE tenant_id = ? FOR UPDATE")) {
                select.setString(1, tenantId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(readState(rs)) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw storeFailure("read the tenant's billing state", e);
        }
    }

    @Override
    public void write(@Nullable TenantBilling previous, TenantBilling next, String causeEventId) {
        try {
            setCause(causeEventId);
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO billing.tenant_billing (" + STATE_COLUMNS + ")"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (tenant_id) DO UPDATE SET status = EXCLUDED.status,"
                            + " provider = EXCLUDED.provider, customer_id = EXCLUDED.customer_id,"
                            + " subscription_id = EXCLUDED.subscription_id, plan_id = EXCLUDED.plan_id,"
                            + " entitlement_ids = EXCLUDED.entitlement_ids,"
                            + " current_period_end = EXCLUDED.current_period_end, grace_until = EXCLUDED.grace_until,"
                            + " status_since = EXCLUDED.status_since, source_event_id = EXCLUDED.source_event_id,"
                            + " source_event_created = EXCLUDED.source_event_created,"
                            + " details_event_id = EXCLUDED.details_event_id,"
                            + " details_event_created = EXCLUDED.details_event_created")) {
                int i = 1;
                upsert.setString(i++, next.tenantId());
                upsert.setString(i++, next.status().wireName());
                upsert.setString(i++, next.provider() == null ? null : next.provider().wireName());
                upsert.setString(i++, next.customerId());
                upsert.setString(i++, next.subscriptionId());
                upsert.setString(i++, next.planId());
                Array array = connection.createArrayOf("text", next.entitlementIds().toArray());
                upsert.setArray(i++, array);
                setInstant(upsert, i++, next.currentPeriodEnd());
                setInstant(upsert, i++, next.graceUntil());
                setInstant(upsert, i++, next.statusSince());
                upsert.setString(i++, next.sourceEventId());
                setInstant(upsert, i++, next.sourceEventCreated());
                upsert.setString(i++, next.detailsEventId());
                setInstant(upsert, i, next.detailsEventCreated());
                upsert.executeUpdate();
            }
            setCause("");
        } catch (SQLException e) {
            throw storeFailure("write the tenant's billing state", e);
        }
    }

    private void setCause(String cause) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(
                "SELECT set_config('tollgate.billing_cause', ?, true)")) {
            set.setString(1, cause);
            set.execute();
        }
    }

    @Override
    public void lockCustomer(BillingProvider provider, String customerId) {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtextextended(?, 7263))")) {
            lock.setString(1, provider.wireName() + ":" + customerId);
            lock.execute();
        } catch (SQLException e) {
            throw storeFailure("lock the customer mapping", e);
        }
    }

    @Override
    public Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT tenant_id FROM billing.customers WHERE provider = ? AND customer_id = ?")) {
            select.setString(1, provider.wireName());
            select.setString(2, customerId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw storeFailure("read billing.customers", e);
        }
    }

    @Override
    public String mapCustomer(BillingProvider provider, String customerId, String tenantId, String eventId) {
        try (PreparedStatement insert = connection.prepareStatement(
                "WITH ins AS (INSERT INTO billing.customers (provider, customer_id, tenant_id, source_event_id)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (provider, customer_id) DO NOTHING RETURNING tenant_id)"
                        + " SELECT tenant_id FROM ins UNION ALL"
                        + " SELECT tenant_id FROM billing.customers WHERE provider = ? AND customer_id = ?"
                        + " LIMIT 1")) {
            insert.setString(1, provider.wireName());
            insert.setString(2, customerId);
            insert.setString(3, tenantId);
            insert.setString(4, eventId);
            insert.setString(5, provider.wireName());
            insert.setString(6, customerId);
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? rs.getString(1) : tenantId;
            }
        } catch (SQLException e) {
            throw storeFailure("write billing.customers", e);
        }
    }

    @Override
    public void recordUnresolved(ProviderEvent event, @Nullable String customerId, String reason) {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO billing.unresolved_events (provider, event_id, event_type, customer_id, reason, payload)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (provider, event_id) DO UPDATE"
                        + " SET reason = EXCLUDED.reason, customer_id = EXCLUDED.customer_id,"
                        + " resolved_at = NULL, resolved_tenant_id = NULL")) {
            insert.setString(1, event.provider().wireName());
            insert.setString(2, event.id());
            insert.setString(3, event.type());
            insert.setString(4, customerId);
            insert.setString(5, reason);
            insert.setString(6, JSON.writeValueAsString(event.payload()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw storeFailure("write billing.unresolved_events", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    @Override
    public List<ProviderEvent> takeUnresolved(BillingProvider provider, String customerId, String tenantId) {
        List<ProviderEvent> events = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE billing.unresolved_events SET resolved_at = now(), resolved_tenant_id = ?"
                        + " WHERE provider = ? AND customer_id = ? AND resolved_at IS NULL"
                        + " AND event_type <> 'checkout.session.completed' RETURNING payload")) {
            update.setString(1, tenantId);
            update.setString(2, provider.wireName());
            update.setString(3, customerId);
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    events.add(ProviderEvent.parse(provider, rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw storeFailure("read billing.unresolved_events", e);
        }
        return events;
    }

    /**
     * Reads a row of {@link #STATE_COLUMNS}.
     *
     * @param rs a result set positioned on a row
     * @return the state
     * @throws SQLException if a column cannot be read
     */
    public static TenantBilling readState(ResultSet rs) throws SQLException {
        String provider = rs.getString("provider");
        Array entitlements = rs.getArray("entitlement_ids");
        List<String> ids = entitlements == null ? List.of()
                : Arrays.asList((String[]) entitlements.getArray());
        Instant since = instant(rs, "status_since");
        return new TenantBilling(rs.getString("tenant_id"), BillingStatus.fromWireName(rs.getString("status")),
                provider == null ? null : BillingProvider.fromWireName(provider), rs.getString("customer_id"),
                rs.getString("subscription_id"), rs.getString("plan_id"), ids, instant(rs, "current_period_end"),
                instant(rs, "grace_until"), since == null ? Instant.EPOCH : since, rs.getString("source_event_id"),
                instant(rs, "source_event_created"), rs.getString("details_event_id"),
                instant(rs, "details_event_created"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static void setInstant(PreparedStatement statement, int index, @Nullable Instant value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    /**
     * Wraps a JDBC failure.
     *
     * @param what what was being done
     * @param e the failure
     * @return the exception to throw
     */
    public static BillingException storeFailure(String what, SQLException e) {
        return new BillingException(BillingException.Reason.STORE_FAILURE, "could not " + what + " (SQLState "
                + e.getSQLState() + "): " + PoolerDiagnosis.explain(e)
                .orElse("check the database connection and that the billing migrations ran"), e);
    }
}
