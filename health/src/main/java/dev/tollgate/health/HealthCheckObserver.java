package dev.tollgate.health;

import java.time.Duration;

/**
 * Is told about every check a {@link HealthRegistry} runs, for metrics. Both methods default to doing
 * nothing, so new methods can be added without breaking implementations.
 * {@code dev.tollgate.health.micrometer.MicrometerHealthObserver} records them with Micrometer.
 *
 * <p>Implementations must be thread-safe and fast; an exception they throw is logged and ignored.
 */
public interface HealthCheckObserver {

    /**
     * A contributor's check finished (not called when a cached result is reused).
     *
     * @param name the contributor's name
     * @param status what it found
     * @param duration how long it took, by the registry's clock
     */
    default void checked(String name, Status status, Duration duration) {
    }

    /**
     * A probe produced a report.
     *
     * @param report the report
     */
    default void reported(HealthReport report) {
    }
}
