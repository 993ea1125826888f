package dev.tollgate.health.contributors;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.health.internal.ContributorSlot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reports the webhook backlog from {@code webhooks.events} and {@code webhooks.dead_letter_queue}, with plain
 * SQL (the health module does not need the webhooks module for it):
 * <ul>
 *   <li>events stuck {@code processing} whose lease ran out more than {@code stuckAfter} ago (a worker died or
 *       a handler hangs), more than {@code maxStuck} is DOWN;</li>
 *   <li>open dead letters (not re-driven), more than {@code maxDeadLetters} is DOWN;</li>
 *   <li>the age of the oldest event waiting for an attempt ({@code pending} or {@code failed}), older than
 *       {@code maxPendingAge} is DOWN (workers are not keeping up, or nothing processes them).</li>
 * </ul>
 * Times in those tables are written from the application's clock, so the contributor compares them with the
 * {@link Clock} it is given (use the pipeline's). Usually registered not critical with an alert on it: a
 * backlog is a reason to page, not to take replicas out of the load balancer.
 *
 * <pre>{@code
 * registry.register("webhooks.backlog", WebhookBacklogHealthContributor.builder(dataSource)
 *                 .clock(clock).maxDeadLetters(10).maxPendingAge(Duration.ofMinutes(15)).build(),
 *         HealthCheckOptions.defaults().withCritical(false));
 * }</pre>
 */
public final class WebhookBacklogHealthContributor implements HealthContributor {

    /** Each count is a cheap index scan: the lease index, the due index, the dead-letter open index. */
    private static final String SQL = "SELECT"
            + " (SELECT count(*) FROM webhooks.events WHERE state = 'processing' AND lease_until < ?),"
            + " (SELECT count(*) FROM webhooks.events WHERE state IN ('pending', 'failed')),"
            + " (SELECT min(received_at) FROM webhooks.events WHERE state IN ('pending', 'failed')),"
            + " (SELECT count(*) FROM webhooks.dead_letter_queue WHERE redriven_at IS NULL)";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration stuckAfter;
    private final long maxStuck;
    private final long maxDeadLetters;
    private final Duration maxPendingAge;

    private WebhookBacklogHealthContributor(Builder b) {
        this.dataSource = b.dataSource;
        this.clock = Objects.requireNonNull(b.clock);
        this.stuckAfter = b.stuckAfter;
        this.maxStuck = b.maxStuck;
        this.maxDeadLetters = b.maxDeadLetters;
        this.maxPendingAge = b.maxPendingAge;
    }

    /**
     * A builder.
     *
     * @param dataSource the database holding the {@code webhooks} schema
     * @return a new builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Counts the backlog and compares it with the limits. */
    @Override
    public Health check() {
        Instant now = clock.instant();
        long stuck;
        long waiting;
        @Nullable Timestamp oldest;
        long dead;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SQL)) {
            s.setTimestamp(1, Timestamp.from(now.minus(stuckAfter)));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                stuck = rs.getLong(1);
                waiting = rs.getLong(2);
                oldest = rs.getTimestamp(3);
                dead = rs.getLong(4);
            }
        } catch (SQLException e) {
            return Health.down("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())
                    ? "webhooks.events does not exist: apply the Tollgate migrations"
                    : "could not read the webhook backlog: " + ContributorSlot.describe(e));
        }
        long ageSeconds = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), now).toSeconds());
        List<String> problems = new ArrayList<>();
        if (stuck > maxStuck) {
            problems.add(stuck + " event(s) stuck processing past their lease (more than " + stuckAfter
                    + " after expiry; limit " + maxStuck + ")");
        }
        if (dead > maxDeadLetters) {
            problems.add(dead + " open dead letter(s) (limit " + maxDeadLetters + "): inspect and re-drive them");
        }
        if (ageSeconds > maxPendingAge.toSeconds()) {
            problems.add("the oldest waiting event is " + ageSeconds + " s old (limit " + maxPendingAge.toSeconds()
                    + " s): workers are not keeping up");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (!problems.isEmpty()) {
            details.put(Health.REASON, String.join("; ", problems));
        }
        details.put("stuck_processing", stuck);
        details.put("waiting", waiting);
        details.put("oldest_waiting_age_seconds", ageSeconds);
        details.put("dead_letters", dead);
        return new Health(problems.isEmpty() ? Status.UP : Status.DOWN, details);
    }

    @Override
    public String toString() {
        return "WebhookBacklogHealthContributor[maxStuck " + maxStuck + ", maxDeadLetters " + maxDeadLetters
                + ", maxPendingAge " + maxPendingAge + "]";
    }

    /** Configures a {@link WebhookBacklogHealthContributor}; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private final DataSource dataSource;
        private @Nullable Clock clock;
        private Duration stuckAfter = Duration.ZERO;
        private long maxStuck = 0;
        private long maxDeadLetters = 0;
        private Duration maxPendingAge = Duration.ofMinutes(15);

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The clock the webhook pipeline writes times with (required: the tables hold application times).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long after its lease expired a {@code processing} event counts as stuck (default 0: as soon as
         * the lease is over; a worker normally takes it over at once).
         *
         * @param stuckAfter zero or positive
         * @return this builder
         */
        public Builder stuckAfter(Duration stuckAfter) {
            this.stuckAfter = Objects.requireNonNull(stuckAfter, "stuckAfter");
            return this;
        }

        /**
         * How many stuck events are tolerated (default 0).
         *
         * @param maxStuck zero or more
         * @return this builder
         */
        public Builder maxStuck(long maxStuck) {
            this.maxStuck = maxStuck;
            return this;
        }

        /**
         * How many open dead letters are tolerated (default 0).
         *
         * @param maxDeadLetters zero or more
         * @return this builder
         */
        public Builder maxDeadLetters(long maxDeadLetters) {
            this.maxDeadLetters = maxDeadLetters;
            return this;
        }

        /**
         * The oldest acceptable age of an event waiting for an attempt (default 15 minutes).
         *
         * @param maxPendingAge positive
         * @return this builder
         */
        public Builder maxPendingAge(Duration maxPendingAge) {
            this.maxPendingAge = Objects.requireNonNull(maxPendingAge, "maxPendingAge");
            return this;
        }

        /**
         * Builds the contributor.
         *
         * @return the contributor
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public WebhookBacklogHealthContributor build() {
            List<String> problems = new ArrayList<>();
            if (clock == null) {
                problems.add("clock is required: pass the clock the webhook pipeline uses");
            }
            if (stuckAfter.isNegative()) {
                problems.add("stuckAfter must not be negative, but was " + stuckAfter);
            }
            if (maxStuck < 0) {
                problems.add("maxStuck must not be negative, but was " + maxStuck);
            }
            if (maxDeadLetters < 0) {
                problems.add("maxDeadLetters must not be negative, but was " + maxDeadLetters);
            }
            if (maxPendingAge.isZero() || maxPendingAge.isNegative()) {
                problems.add("maxPendingAge must be positive, but was " + maxPendingAge);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid webhook backlog contributor: " + String.join("; ", problems));
            }
            return new WebhookBacklogHealthContributor(this);
        }
    }
}
