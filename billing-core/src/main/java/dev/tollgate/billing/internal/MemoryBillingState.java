package dev.tollgate.billing.internal;

import dev.tollgate.billing.AuditEntry;
import dev.tollgate.billing.BillingProvider;
import dev.tollgate.billing.ProviderEvent;
import dev.tollgate.billing.TenantBilling;
import dev.tollgate.billing.UnresolvedEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The tables of the in-memory billing repository. Every unit of work runs under one lock and is
 * published only when it completes, so a failing event leaves no trace (as a rolled-back transaction).
 */
public final class MemoryBillingState {

    /** An unresolved event with its payload, for replay. */
    private record Waiting(UnresolvedEvent info, ProviderEvent event, boolean resolved) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final Map<String, TenantBilling> tenants = new HashMap<>();
    private final Map<String, String> customers = new HashMap<>();
    private final Map<String, List<AuditEntry>> audit = new HashMap<>();
    private final Map<String, Waiting> unresolved = new LinkedHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates empty tables.
     *
     * @param clock the clock for audit and unresolved-event times
     */
    public MemoryBillingState(Clock clock) {
        this.clock = clock;
    }

    /**
     * Runs a unit of work atomically.
     *
     * @param work what to do
     * @param <T> the result type
     * @return its result
     */
    public <T> T inTransaction(Function<BillingUnitOfWork, T> work) {
        List<String> changed;
        T result;
        lock.lock();
        try {
            Staged staged = new Staged();
            result = work.apply(staged);
            changed = staged.commit();
        } finally {
            lock.unlock();
        }
        for (String tenant : changed) {
            listeners.forEach(listener -> listener.accept(tenant));
        }
        return result;
    }

    /**
     * Registers a callback told the tenant id after each committed change.
     *
     * @param listener the callback
     */
    public void addChangeListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** @return the tenant's state */
    public Optional<TenantBilling> find(String tenantId) {
        lock.lock();
        try {
            return Optional.ofNullable(tenants.get(tenantId));
        } finally {
            lock.unlock();
        }
    }

    /** @return the tenant's audit entries, oldest first */
    public List<AuditEntry> auditLog(String tenantId) {
        lock.lock();
        try {
            return List.copyOf(audit.getOrDefault(tenantId, List.of()));
        } finally {
            lock.unlock();
        }
    }

    /** @return the events still waiting for a tenant */
    public List<UnresolvedEvent> unresolvedEvents() {
        lock.lock();
        try {
            return unresolved.values().stream().filter(w -> !w.resolved()).map(Waiting::info).toList();
        } finally {
            lock.unlock();
        }
    }

    /** @return the tenant a customer is mapped to */
    public Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
        lock.lock();
        try {
            return Optional.ofNullable(customers.get(key(provider, customerId)));
        } finally {
            lock.unlock();
        }
    }

    /** @return the first customer of the provider mapped to the tenant */
    public Optional<String> customerOf(BillingProvider provider, String tenantId) {
        lock.lock();
        try {
            String prefix = provider.wireName() + "\u0000";
            return customers.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix) && e.getValue().equals(tenantId))
                    .map(e -> e.getKey().substring(prefix.length())).sorted().findFirst();
        } finally {
            lock.unlock();
        }
    }

    private static String key(BillingProvider provider, String id) {
        return provider.wireName() + "\u0000" + id;
    }

    /** Changes staged by one unit of work. */
    private final class Staged implements BillingUnitOfWork {
        private final Map<String, TenantBilling> tenantWrites = new LinkedHashMap<>();
        private final List<AuditEntry> auditWrites = new ArrayList<>();
        private final Map<String, String> customerWrites = new HashMap<>();
        private final Map<String, Waiting> unresolvedWrites = new LinkedHashMap<>();

        @Override
        public Optional<TenantBilling> lockTenant(String tenantId) {
            TenantBilling staged = tenantWrites.get(tenantId);
            return staged != null ? Optional.of(staged) : Optional.ofNullable(tenants.get(tenantId));
        }

        @Override
        public void write(@Nullable TenantBilling previous, TenantBilling next, String causeEventId) {
            tenantWrites.put(next.tenantId(), next);
            auditWrites.add(new AuditEntry(next.tenantId(), previous == null ? null : previous.status(), next.status(),
                    causeEventId, clock.instant()));
        }

        @Override
        public void lockCustomer(BillingProvider provider, String customerId) {
            // every unit of work already runs under the repository's lock
        }

        @Override
        public Optional<String> tenantForCustomer(BillingProvider provider, String customerId) {
            String key = key(provider, customerId);
            String staged = customerWrites.get(key);
            return staged != null ? Optional.of(staged) : Optional.ofNullable(customers.get(key));
        }

        @Override
        public String mapCustomer(BillingProvider provider, String customerId, String tenantId, String eventId) {
            Optional<String> existing = tenantForCustomer(provider, customerId);
            if (existing.isPresent()) {
                return existing.get();
            }
            customerWrites.put(key(provider, customerId), tenantId);
            return tenantId;
        }

        @Override
        public void recordUnresolved(ProviderEvent event, @Nullable String customerId, String reason) {
            UnresolvedEvent info = new UnresolvedEvent(event.provider(), event.id(), event.type(), customerId, reason,
                    clock.instant());
            unresolvedWrites.put(key(event.provider(), event.id()), new Waiting(info, event, false));
        }

        @Override
        public List<ProviderEvent> takeUnresolved(BillingProvider provider, String customerId, String tenantId) {
            Map<String, Waiting> all = new LinkedHashMap<>(unresolved);
            all.putAll(unresolvedWrites);
            List<ProviderEvent> taken = new ArrayList<>();
            all.forEach((key, waiting) -> {
                UnresolvedEvent info = waiting.info();
                if (!waiting.resolved() && info.provider() == provider && customerId.equals(info.customerId())
                        && !info.eventType().equals("checkout.session.completed")) {
                    unresolvedWrites.put(key, new Waiting(info, waiting.event(), true));
                    taken.add(waiting.event());
                }
            });
            return taken;
        }

        List<String> commit() {
            tenants.putAll(tenantWrites);
            for (AuditEntry entry : auditWrites) {
                audit.computeIfAbsent(entry.tenantId(), t -> new ArrayList<>()).add(entry);
            }
            customers.putAll(customerWrites);
            unresolved.putAll(unresolvedWrites);
            return new ArrayList<>(tenantWrites.keySet());
        }
    }
}
