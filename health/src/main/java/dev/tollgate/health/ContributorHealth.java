package dev.tollgate.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The result of one contributor in a {@link HealthReport}.
 *
 * @param name the name the contributor was registered under
 * @param health what it found
 * @param critical whether it counts for the overall status
 * @param checkedAt when the check finished (from the registry's clock); older than the report when cached
 * @param duration how long the check took, by the registry's clock
 */
public record ContributorHealth(String name, Health health, boolean critical, Instant checkedAt, Duration duration) {

    /**
     * Checks the arguments.
     *
     * @param name the name the contributor was registered under
     * @param health what it found
     * @param critical whether it counts for the overall status
     * @param checkedAt when the check finished (from the registry's clock); older than the report when cached
     * @param duration how long the check took, by the registry's clock
     */
    public ContributorHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * @return the contributor's status
     */
    public Status status() {
        return health.status();
    }
}
