package dev.tollgate.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one probe: every contributor's health and the aggregated status.
 *
 * @param status the most severe status of the critical contributors ({@link Status#UNKNOWN} when none)
 * @param checkedAt when the probe ran
 * @param contributors each contributor's result, in registration order
 */
public record HealthReport(Status status, Instant checkedAt, List<ContributorHealth> contributors) {

    /**
     * Checks the arguments and copies the list.
     *
     * @param status the most severe status of the critical contributors ({@link Status#UNKNOWN} when none)
     * @param checkedAt when the probe ran
     * @param contributors each contributor's result, in registration order
     */
    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
        contributors = List.copyOf(contributors);
    }

    /**
     * Aggregates the critical contributors' statuses: DOWN &gt; OUT_OF_SERVICE &gt; UP &gt; UNKNOWN.
     *
     * @param checkedAt when the probe ran
     * @param contributors the results
     * @return the report
     */
    public static HealthReport of(Instant checkedAt, List<ContributorHealth> contributors) {
        Status status = Status.UNKNOWN;
        for (ContributorHealth c : contributors) {
            if (c.critical()) {
                status = status.worst(c.status());
            }
        }
        return new HealthReport(status, checkedAt, contributors);
    }

    /**
     * Whether the service should receive traffic: no critical contributor is DOWN or OUT_OF_SERVICE.
     *
     * @return {@code true} when ready
     */
    public boolean ready() {
        return status.isAvailable();
    }

    /**
     * The names of the critical contributors that make the service unready, in registration order.
     *
     * @return the failing contributors' names
     */
    public List<String> failing() {
        return contributors.stream().filter(c -> c.critical() && !c.status().isAvailable())
                .map(ContributorHealth::name).toList();
    }

    /**
     * One contributor's result.
     *
     * @param name the registered name
     * @return the result, if a contributor of that name is registered
     */
    public Optional<ContributorHealth> contributor(String name) {
        Objects.requireNonNull(name, "name");
        return contributors.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
