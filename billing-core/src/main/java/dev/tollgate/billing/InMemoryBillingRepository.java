package dev.tollgate.billing;

import dev.tollgate.billing.internal.MemoryBillingState;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Billing state in memory: for tests, demos and single-process services. It is correct, not a toy:
 * {@link BillingEventApplier#apply(InMemoryBillingRepository, ProviderEvent)} is atomic (an event that
 * fails leaves no trace) and writes the audit entry with the state, as the PostgreSQL repository does.
 */
public final class InMemoryBillingRepository implements BillingRepository {

    private final MemoryBillingState state;

    /**
     * Creates an empty repository.
     *
     * @param clock the clock for audit-entry times
     */
    public InMemoryBillingRepository(Clock clock) {
        this.state = new MemoryBillingState(Objects.requireNonNull(clock, "clock"));
    }

    MemoryBillingState state() {
        return state;
    }

    /**
     * Sets a tenant's state directly, as an operator's SQL update would (audited with cause
     * {@code cause}).
     *
     * @param next the new state
     * @param cause what to record as the cause, such as {@code manual:support-ticket-123}
     */
    public void put(TenantBilling next, String cause) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(cause, "cause");
        state.inTransaction(work -> {
            work.write(work.lockTenant(next.tenantId()).orElse(null), next, cause);
            return null;
        });
    }

    /**
     * Registers a callback that is told the tenant id after each committed change; a {@link BillingGate}
     * built on this repository registers itself, so its cache never serves a replaced state.
     *
     * @param listener the callback
     */
    public void addChangeListener(Consumer<String> listener) {
        state.addChangeListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<TenantBilling> find(String tenantId) {
        return state.find(Objects.requireNonNull(tenantId, "tenantId"));
    }

    @Override
    public List<AuditEntry> auditLog(String tenantId) {
        return state.auditLog(Objects.requireNonNull(tenantId, "tenantId"));
    }

    @Override
    public List<UnresolvedEvent> unresolvedEvents() {
        return state.unresolvedEvents();
    }

    @Override
    public Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
        return state.tenantForCustomer(Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(customerId, "customerId"));
    }

    @Override
    public Optional<String> customerOf(BillingProvider provider, String tenantId) {
        return state.customerOf(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(tenantId, "tenantId"));
    }

    @Override
    public String toString() {
        return "InMemoryBillingRepository";
    }
}
