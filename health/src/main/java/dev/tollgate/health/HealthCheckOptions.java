package dev.tollgate.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link HealthRegistry} runs one contributor. Start from {@link #defaults()}.
 *
 * <pre>{@code
 * HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(1)).withCacheFor(Duration.ofSeconds(10));
 * }</pre>
 *
 * @param timeout how long a check may take before it is reported {@link Status#DOWN} "timed out"; positive
 * @param critical whether the contributor counts for the overall status and readiness; a non-critical
 *     contributor is reported but never makes the service unhealthy or unready
 * @param cacheFor how long a result is reused before the check runs again; {@link Duration#ZERO} for never
 * @param refreshEvery when positive, the registry re-runs the check in the background at this interval
 *     and probes read the last result, as long as it is younger than {@code refreshEvery + timeout} (so a
 *     stuck refresh is noticed); {@link Duration#ZERO} to check on demand
 */
public record HealthCheckOptions(Duration timeout, boolean critical, Duration cacheFor, Duration refreshEvery) {

    /** The default timeout, 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Creates options, checking every value.
     *
     * @throws IllegalArgumentException naming every bad value
     * @param timeout how long a check may take before it is reported {@link Status#DOWN} "timed out"; positive
     * @param critical whether the contributor counts for the overall status and readiness; a non-critical
     *     contributor is reported but never makes the service unhealthy or unready
     * @param cacheFor how long a result is reused before the check runs again; {@link Duration#ZERO} for never
     * @param refreshEvery when positive, the registry re-runs the check in the background at this interval
     *     and probes read the last result, as long as it is younger than {@code refreshEvery + timeout} (so a
     *     stuck refresh is noticed); {@link Duration#ZERO} to check on demand
     */
    public HealthCheckOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(cacheFor, "cacheFor");
        Objects.requireNonNull(refreshEvery, "refreshEvery");
        List<String> problems = new ArrayList<>();
        if (timeout.isNegative() || timeout.isZero()) {
            problems.add("timeout must be positive, but was " + timeout);
        }
        if (cacheFor.isNegative()) {
            problems.add("cacheFor must be zero or positive, but was " + cacheFor);
        }
        if (refreshEvery.isNegative()) {
            problems.add("refreshEvery must be zero or positive, but was " + refreshEvery);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid health check options: " + String.join("; ", problems));
        }
    }

    /**
     * Critical, 2 second timeout, no caching, no background refresh.
     *
     * @return the default options
     */
    public static HealthCheckOptions defaults() {
        return new HealthCheckOptions(DEFAULT_TIMEOUT, true, Duration.ZERO, Duration.ZERO);
    }

    /**
     * @param timeout the new timeout
     * @return a copy with this timeout
     */
    public HealthCheckOptions withTimeout(Duration timeout) {
        return new HealthCheckOptions(timeout, critical, cacheFor, refreshEvery);
    }

    /**
     * @param critical whether the contributor counts for the overall status and readiness
     * @return a copy with this flag
     */
    public HealthCheckOptions withCritical(boolean critical) {
        return new HealthCheckOptions(timeout, critical, cacheFor, refreshEvery);
    }

    /**
     * @param cacheFor how long a result is reused
     * @return a copy with this cache duration
     */
    public HealthCheckOptions withCacheFor(Duration cacheFor) {
        return new HealthCheckOptions(timeout, critical, cacheFor, refreshEvery);
    }

    /**
     * @param refreshEvery the background refresh interval, or zero for none
     * @return a copy with this interval
     */
    public HealthCheckOptions withRefreshEvery(Duration refreshEvery) {
        return new HealthCheckOptions(timeout, critical, cacheFor, refreshEvery);
    }
}
