package dev.tollgate.examples;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;

/**
 * The demo solver's recent jobs, per tenant, in memory and bounded both ways: at most {@code maxTenants}
 * tenants (Caffeine, frequency-based: ids a client invents cannot grow the heap, and the tenants that keep
 * calling stay) and at most {@code maxJobsPerTenant} jobs each (the oldest go first). A tenant evicted from the
 * bound loses its job list; the demo keeps no jobs anywhere else.
 */
final class DemoJobs {

    /** How many tenants' job lists the demo keeps. */
    static final int DEFAULT_MAX_TENANTS = 10_000;
    /** How many jobs per tenant the demo keeps. */
    static final int DEFAULT_MAX_JOBS_PER_TENANT = 100;

    private final Cache<String, ConcurrentLinkedDeque<Map<String, Object>>> byTenant;
    private final int maxJobsPerTenant;

    DemoJobs() {
        this(DEFAULT_MAX_TENANTS, DEFAULT_MAX_JOBS_PER_TENANT, Runnable::run);
    }

    /**
     * @param maxTenants the most tenants kept, positive
     * @param maxJobsPerTenant the most jobs kept per tenant, positive
     * @param executor runs Caffeine's maintenance (the caller's thread: eviction happens before a call returns)
     */
    DemoJobs(int maxTenants, int maxJobsPerTenant, Executor executor) {
        if (maxTenants < 1 || maxJobsPerTenant < 1) {
            throw new IllegalArgumentException("maxTenants and maxJobsPerTenant must be positive, but were "
                    + maxTenants + " and " + maxJobsPerTenant);
        }
        this.byTenant = Caffeine.newBuilder().maximumSize(maxTenants).executor(executor).build();
        this.maxJobsPerTenant = maxJobsPerTenant;
    }

    /** Adds a job as the tenant's newest, dropping its oldest beyond the per-tenant bound. */
    void add(String tenant, Map<String, Object> job) {
        ConcurrentLinkedDeque<Map<String, Object>> list = byTenant.get(tenant, t -> new ConcurrentLinkedDeque<>());
        list.addFirst(job);
        while (list.size() > maxJobsPerTenant) {
            list.pollLast();
        }
    }

    /** @return the tenant's jobs, newest first; empty for a tenant with none (nothing is stored for it) */
    List<Map<String, Object>> of(String tenant) {
        ConcurrentLinkedDeque<Map<String, Object>> list = byTenant.getIfPresent(tenant);
        return list == null ? List.of() : new ArrayList<>(list);
    }

    /** @return how many tenants have a job list now, after pending evictions */
    long tenants() {
        byTenant.cleanUp();
        return byTenant.estimatedSize();
    }
}
