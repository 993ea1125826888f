package dev.tollgate.billing;

import dev.tollgate.billing.internal.Intent;
import dev.tollgate.billing.internal.PostgresUnitOfWork;
import dev.tollgate.billing.internal.TenantScope;
import dev.tollgate.billing.internal.TransitionEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Applies Stripe and RevenueCat events to tenant billing state: the single entry point a webhook
 * handler calls.
 *
 * <pre>{@code
 * BillingEventApplier applier = BillingEventApplier.builder()
 *         .revenueCatTenants(appUserId -> Optional.of(appUserId)) // the default
 *         .build();
 * // inside the webhook pipeline's transaction, so the state change and the idempotency record commit together:
 * ApplyResult result = applier.apply(connection, ProviderEvent.parse(BillingProvider.STRIPE, body));
 * }</pre>
 *
 * <p>Handled: Stripe {@code checkout.session.completed}, {@code customer.subscription.created|updated|
 * deleted|paused|resumed}, {@code invoice.paid}, {@code invoice.payment_failed},
 * {@code invoice.payment_action_required}; RevenueCat {@code INITIAL_PURCHASE}, {@code RENEWAL},
 * {@code UNCANCELLATION}, {@code NON_RENEWING_PURCHASE}, {@code PRODUCT_CHANGE}, {@code CANCELLATION},
 * {@code BILLING_ISSUE}, {@code EXPIRATION}, {@code SUBSCRIPTION_PAUSED}, {@code SUBSCRIPTION_EXTENDED},
 * {@code TRANSFER}. Every other type (and RevenueCat {@code TEST}) returns
 * {@link ApplyResult.Outcome#IGNORED}: acknowledge it.
 *
 * <p>Out-of-order safe: an event created before the one that last set the tenant's status (or its
 * subscription details) does not overwrite it ({@link ApplyResult.Outcome#STALE}); applying the same
 * events in any order gives the same state. Duplicates are harmless (they are stale).
 *
 * <p>Tenant resolution: Stripe {@code metadata.tenant_id} of the subscription (or of the invoice's
 * subscription details), else the {@code billing.customers} mapping that
 * {@code checkout.session.completed} fills from {@code client_reference_id} or {@code metadata.tenant_id};
 * RevenueCat {@code app_user_id} through the configured mapper. An event whose tenant cannot be
 * resolved is recorded ({@link BillingRepository#unresolvedEvents()}), reported in
 * {@code billing.verify_billing_schema()}, and replayed when its customer gets mapped.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class BillingEventApplier {

    private final TransitionEngine engine;

    private BillingEventApplier(Builder builder) {
        this.engine = new TransitionEngine(builder.revenueCatTenants);
    }

    /**
     * A builder with the defaults: RevenueCat app user id = tenant id.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An applier with the defaults.
     *
     * @return the applier
     */
    public static BillingEventApplier ofDefaults() {
        return builder().build();
    }

    /**
     * Applies an event inside the caller's transaction on PostgreSQL. The state change, its audit row
     * and any customer mapping are written on {@code connection}; the caller commits (or rolls back)
     * them together with its own work, such as the webhook idempotency record. When the connection is
     * in auto-commit mode, this method runs its own transaction on it instead and commits it. The work runs
     * with {@code tollgate.cross_tenant = 'on'} (the billing tables' row-level security), which is put back to
     * its previous value before this method returns.
     *
     * @param connection a connection to the database with the billing migrations applied
     * @param event the event
     * @return what happened; every outcome means "acknowledge the event"
     * @throws BillingException {@link BillingException.Reason#MALFORMED_EVENT} when the provider object is
     *     malformed (nothing was written), {@link BillingException.Reason#STORE_FAILURE} when the database
     *     fails (roll back the transaction)
     */
    public ApplyResult apply(Connection connection, ProviderEvent event) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(event, "event");
        Intent intent = TransitionEngine.intentOf(event); // malformed objects fail before any write
        return inTransaction(connection, c -> engine.apply(new PostgresUnitOfWork(c), event, intent, null));
    }

    /**
     * Applies an event in its own transaction, on a connection borrowed from {@code dataSource}.
     *
     * @param dataSource the database with the billing migrations applied
     * @param event the event
     * @return what happened
     * @throws BillingException as {@link #apply(Connection, ProviderEvent)}
     */
    public ApplyResult apply(DataSource dataSource, ProviderEvent event) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(event, "event");
        Intent intent = TransitionEngine.intentOf(event);
        return withConnection(dataSource, c -> engine.apply(new PostgresUnitOfWork(c), event, intent, null));
    }

    /**
     * Applies an event to an in-memory repository, atomically.
     *
     * @param repository the repository
     * @param event the event
     * @return what happened
     * @throws BillingException {@link BillingException.Reason#MALFORMED_EVENT} when the provider object is
     *     malformed (nothing changed)
     */
    public ApplyResult apply(InMemoryBillingRepository repository, ProviderEvent event) {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(event, "event");
        Intent intent = TransitionEngine.intentOf(event);
        return repository.state().inTransaction(work -> engine.apply(work, event, intent, null));
    }

    /** Applies a reconciled state for a known tenant (no resolution), in memory. */
    ApplyResult applyReconciled(InMemoryBillingRepository repository, ProviderEvent event, Intent intent,
                                String tenantId) {
        return repository.state().inTransaction(work -> engine.apply(work, event, intent, tenantId));
    }

    /** Applies a reconciled state for a known tenant (no resolution), on PostgreSQL in its own transaction. */
    ApplyResult applyReconciled(DataSource dataSource, ProviderEvent event, Intent intent, String tenantId) {
        return withConnection(dataSource, c -> engine.apply(new PostgresUnitOfWork(c), event, intent, tenantId));
    }

    private static ApplyResult withConnection(DataSource dataSource, Function<Connection, ApplyResult> work) {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, work);
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("borrow a connection", e);
        }
    }

    private static ApplyResult inTransaction(Connection connection, Function<Connection, ApplyResult> work) {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                return acrossTenants(connection, work); // the caller's transaction
            }
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("start a transaction", e);
        }
        try {
            ApplyResult result = acrossTenants(connection, work);
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollback(connection, e);
            throw PostgresUnitOfWork.storeFailure("commit the billing change", e);
        } catch (RuntimeException e) {
            rollback(connection, e);
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is broken; the pool will discard it
            }
        }
    }

    /**
     * Runs the billing work with {@code tollgate.cross_tenant = 'on'} (row-level security: a provider event may
     * concern any tenant, and a customer id is looked up across tenants), then puts the setting back.
     */
    private static ApplyResult acrossTenants(Connection connection, Function<Connection, ApplyResult> work) {
        try {
            return TenantScope.acrossTenantsInTransaction(connection, work::apply);
        } catch (SQLException e) {
            throw PostgresUnitOfWork.storeFailure("scope the billing work across tenants", e);
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Configures a {@link BillingEventApplier}. */
    public static final class Builder {
        private Function<String, Optional<String>> revenueCatTenants = Optional::of;
        private @Nullable String problem;

        private Builder() {
        }

        /**
         * How a RevenueCat {@code app_user_id} maps to a tenant id. Return empty for an unknown user: the
         * event is then recorded as unresolved. Default: the app user id is the tenant id.
         *
         * @param mapper the mapping; called inside the transaction, keep it fast and side-effect free
         * @return this builder
         */
        public Builder revenueCatTenants(Function<String, Optional<String>> mapper) {
            if (mapper == null) {
                problem = "revenueCatTenants must not be null";
            } else {
                this.revenueCatTenants = mapper;
            }
            return this;
        }

        /**
         * Builds the applier.
         *
         * @return the applier
         * @throws BillingException with {@link BillingException.Reason#INVALID_CONFIGURATION} naming every problem
         */
        public BillingEventApplier build() {
            if (problem != null) {
                throw new BillingException(BillingException.Reason.INVALID_CONFIGURATION,
                        "invalid BillingEventApplier configuration: " + problem);
            }
            return new BillingEventApplier(this);
        }
    }
}
