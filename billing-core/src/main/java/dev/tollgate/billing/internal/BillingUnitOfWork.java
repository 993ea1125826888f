package dev.tollgate.billing.internal;

import dev.tollgate.billing.BillingProvider;
import dev.tollgate.billing.ProviderEvent;
import dev.tollgate.billing.TenantBilling;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The reads and writes of one event's application, all inside one transaction: on PostgreSQL the
 * caller's; in memory under the repository's lock, published only when the whole event succeeded.
 */
public interface BillingUnitOfWork {

    /** Locks the tenant until the end of the transaction and reads its state. */
    Optional<TenantBilling> lockTenant(String tenantId);

    /** Writes the tenant's new state and its audit row, caused by {@code causeEventId}. */
    void write(@Nullable TenantBilling previous, TenantBilling next, String causeEventId);

    /**
     * Serializes, until the end of the transaction, every unit of work that resolves or maps this
     * customer: without it an event could miss a mapping being committed and stay unresolved forever.
     */
    void lockCustomer(BillingProvider provider, String customerId);

    /** The tenant a provider customer is mapped to. */
    Optional<String> tenantForCustomer(BillingProvider provider, String customerId);

    /**
     * Maps a customer to a tenant unless it is mapped already.
     *
     * @return the tenant the customer is mapped to after the call (the existing one if it was mapped)
     */
    String mapCustomer(BillingProvider provider, String customerId, String tenantId, String eventId);

    /** Records an event whose tenant could not be resolved (again: the reason is updated). */
    void recordUnresolved(ProviderEvent event, @Nullable String customerId, String reason);

    /** Marks the unresolved events of a customer resolved to {@code tenantId} and returns them for replay. */
    List<ProviderEvent> takeUnresolved(BillingProvider provider, String customerId, String tenantId);
}
