package dev.tollgate.billing;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The gate's health: enforcement mode, kill switch, cache and invalidation.
 *
 * @param enforcement the current enforcement mode
 * @param purchasesEnabled false while the purchases kill switch is off
 * @param cacheTtl how long a tenant's state is cached
 * @param cachedTenants how many tenants are cached now
 * @param reportedDenials how many denials report-only mode has let through since start
 * @param invalidation the change listener's status, {@code null} when no listener is attached (in-memory
 *     repository, or TTL only)
 * @param cacheMaximumSize the most tenants the cache holds
 * @param cacheEvictions how many tenants the size bound has evicted since start
 * @param failMode what the gate does when a state cannot be read and nothing is cached
 */
public record GateStatus(EnforcementMode enforcement, boolean purchasesEnabled, Duration cacheTtl, int cachedTenants,
                         long reportedDenials, @Nullable ListenerStatus invalidation, int cacheMaximumSize,
                         long cacheEvictions, FailMode failMode) {

    /**
     * Validates the fields.
     *
     * @param enforcement the current enforcement mode
     * @param purchasesEnabled false while the purchases kill switch is off
     * @param cacheTtl how long a tenant's state is cached
     * @param cachedTenants how many tenants are cached now
     * @param reportedDenials how many denials report-only mode has let through since start
     * @param invalidation the change listener's status, {@code null} when no listener is attached (in-memory
     *     repository, or TTL only)
     * @param cacheMaximumSize the most tenants the cache holds
     * @param cacheEvictions how many tenants the size bound has evicted since start
     * @param failMode what the gate does when a state cannot be read and nothing is cached
     */
    public GateStatus {
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(failMode, "failMode");
    }

    /**
     * Whether status changes reach this gate by notification, not only by TTL.
     *
     * @return true when a listener is attached and listening
     */
    public boolean listening() {
        return invalidation != null && invalidation.listening();
    }
}
