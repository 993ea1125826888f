package dev.tollgate.benchmarks.standin;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Stand-in for Tollgate's billing gate with its status cache: a {@link ConcurrentHashMap} of tenant →
 * (decision, expiry) read against an injected clock, reloaded through a loader when expired. The cached
 * path allocates nothing. To be replaced by Tollgate's {@code BillingGate.check(…)} once merged.
 */
public final class StandInBillingGate {

    /** The gate's answer. */
    public enum Decision {
        /** The write may go ahead. */
        ALLOW,
        /** The tenant must pay first (HTTP 402). */
        PAYMENT_REQUIRED
    }

    private record Cached(Decision decision, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final Function<String, String> statusLoader;
    private final long ttlMillis;
    private final Clock clock;

    /**
     * @param statusLoader tenant id → billing status ({@code active}, {@code past_due}, …)
     * @param ttl how long a loaded status is trusted
     * @param clock the clock that ages cache entries
     */
    public StandInBillingGate(Function<String, String> statusLoader, Duration ttl, Clock clock) {
        this.statusLoader = Objects.requireNonNull(statusLoader, "statusLoader");
        this.ttlMillis = Objects.requireNonNull(ttl, "ttl").toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Decides whether a tenant may perform a write.
     *
     * @param tenantId the tenant
     * @return the decision, from the cache while it is fresh
     */
    public Decision check(String tenantId) {
        long now = clock.millis();
        Cached cached = cache.get(tenantId);
        if (cached == null || cached.expiresAtMillis() <= now) {
            String status = statusLoader.apply(tenantId);
            Decision decision = "active".equals(status) || "trialing".equals(status)
                    ? Decision.ALLOW : Decision.PAYMENT_REQUIRED;
            cached = new Cached(decision, now + ttlMillis);
            cache.put(tenantId, cached);
        }
        return cached.decision();
    }
}
