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
 */
public record GateStatus(EnforcementMode enforcement, boolean purchasesEnabled, Duration cacheTtl, int cachedTenants,
                         long reportedDenials, @Nullable ListenerStatus invalidation) {

    /** Validates the fields. */
    public GateStatus {
        Objects.requireNonNull(enforcement, "enforcement");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
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
