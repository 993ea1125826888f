package dev.tollgate.billing;

import java.util.List;
import java.util.Optional;

/**
 * Reads tenant billing state. Two implementations: {@link InMemoryBillingRepository} and
 * {@link PostgresBillingRepository}; both are written by {@link BillingEventApplier}.
 *
 * <p>Implementations are thread-safe.
 */
public interface BillingRepository {

    /**
     * The tenant's current state.
     *
     * @param tenantId the tenant
     * @return its state, empty when no event or operator has set one (treat as {@link BillingStatus#NONE})
     * @throws BillingException with {@link BillingException.Reason#STORE_FAILURE} if the store cannot be read
     */
    Optional<TenantBilling> find(String tenantId);

    /**
     * The tenant's audit log, oldest first.
     *
     * @param tenantId the tenant
     * @return every change of its state
     */
    List<AuditEntry> auditLog(String tenantId);

    /**
     * The provider events whose tenant could not be resolved and that no later mapping resolved.
     *
     * @return the waiting events, oldest first
     */
    List<UnresolvedEvent> unresolvedEvents();

    /**
     * The tenant a provider customer id is mapped to.
     *
     * @param provider the provider
     * @param customerId the customer id (Stripe {@code cus_…})
     * @return the tenant, if mapped
     */
    Optional<String> tenantForCustomer(BillingProvider provider, String customerId);

    /**
     * A provider customer mapped to the tenant.
     *
     * @param provider the provider
     * @param tenantId the tenant
     * @return the customer id, if the tenant has one (the lowest id when several)
     */
    Optional<String> customerOf(BillingProvider provider, String tenantId);
}
