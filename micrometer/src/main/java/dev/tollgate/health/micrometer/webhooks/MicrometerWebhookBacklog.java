package dev.tollgate.health.micrometer.webhooks;

import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.internal.BorrowedConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook backlog as gauges, read from {@code webhooks.events} and {@code webhooks.dead_letter_queue}:
 * <ul>
 *   <li>{@value TollgateMeters#WEBHOOK_OLDEST_EVENT_AGE} tagged {@code state=pending}: seconds since the oldest
 *       event waiting for its first attempt was received (0 when none waits); workers not keeping up;</li>
 *   <li>the same tagged {@code state=failed}: seconds since the oldest event waiting for a retry was received
 *       (0 when none); a handler failing again and again;</li>
 *   <li>{@value TollgateMeters#WEBHOOK_DEAD_LETTERS_OPEN}: dead letters not re-driven yet.</li>
 * </ul>
 *
 * <p>One query feeds the three gauges, and it runs at most once per {@code refreshEvery} (default 30 s): a scrape
 * that finds the values older than that reads them again, on the scraping thread; other scrapes get the cached
 * values. No thread of its own. The query reads only the partial indexes of waiting events and of open dead
 * letters ({@code events_due_idx}, {@code dead_letter_queue_open_idx}), so its cost follows the backlog, not the
 * table, partitioned or not. When the database cannot be read the gauges are {@code NaN} until the next
 * successful refresh (the database health check alerts on that). Every replica reports the same values: query
 * them with {@code max}, not {@code sum}. Ages use the given {@link Clock} (the one the pipeline writes times
 * with), and so does the refresh interval.
 *
 * <pre>{@code
 * MicrometerWebhookBacklog.builder(dataSource).clock(clock).build().bindTo(meterRegistry);
 * }</pre>
 */
public final class MicrometerWebhookBacklog {

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerWebhookBacklog.class);

    /** Index scans only: the partial due index (waiting events) and the partial open dead-letter index. */
    static final String SQL = "SELECT"
            + " (SELECT min(received_at) FROM webhooks.events WHERE state = 'pending'),"
            + " (SELECT min(received_at) FROM webhooks.events WHERE state = 'failed'),"
            + " (SELECT count(*) FROM webhooks.dead_letter_queue WHERE redriven_at IS NULL)";

    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration refreshEvery;
    private @Nullable Instant readAt;
    private @Nullable Instant oldestPending;
    private @Nullable Instant oldestFailed;
    private double openDeadLetters = Double.NaN;
    private boolean readable;
    private boolean failing;

    private MicrometerWebhookBacklog(Builder b) {
        this.dataSource = b.dataSource;
        this.clock = Objects.requireNonNull(b.clock);
        this.refreshEvery = b.refreshEvery;
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

    /**
     * Registers the three gauges; they keep this object alive.
     *
     * @param registry where to register
     * @return this
     */
    public MicrometerWebhookBacklog bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Gauge.builder(TollgateMeters.WEBHOOK_OLDEST_EVENT_AGE, this, b -> b.ageSeconds(true))
                .description("seconds since the oldest event waiting for an attempt was received; 0 when none")
                .tag(TollgateMeters.TAG_STATE, "pending")
                .strongReference(true)
                .register(registry);
        Gauge.builder(TollgateMeters.WEBHOOK_OLDEST_EVENT_AGE, this, b -> b.ageSeconds(false))
                .description("seconds since the oldest event waiting for an attempt was received; 0 when none")
                .tag(TollgateMeters.TAG_STATE, "failed")
                .strongReference(true)
                .register(registry);
        Gauge.builder(TollgateMeters.WEBHOOK_DEAD_LETTERS_OPEN, this, MicrometerWebhookBacklog::deadLetters)
                .description("dead letters not re-driven yet")
                .strongReference(true)
                .register(registry);
        return this;
    }

    private synchronized double ageSeconds(boolean pending) {
        Instant now = refreshIfDue();
        if (!readable) {
            return Double.NaN;
        }
        Instant oldest = pending ? oldestPending : oldestFailed;
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
    }

    private synchronized double deadLetters() {
        refreshIfDue();
        return readable ? openDeadLetters : Double.NaN;
    }

    /** Reads the tables when the values are older than the interval; returns the clock's now. */
    private Instant refreshIfDue() {
        Instant now = clock.instant();
        if (readAt != null && now.isBefore(readAt.plus(refreshEvery)) && !now.isBefore(readAt)) {
            return now;
        }
        readAt = now;
        try (BorrowedConnection c = BorrowedConnection.of(dataSource, QUERY_TIMEOUT);
             PreparedStatement s = c.connection().prepareStatement(SQL)) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                oldestPending = instant(rs.getObject(1, OffsetDateTime.class));
                oldestFailed = instant(rs.getObject(2, OffsetDateTime.class));
                openDeadLetters = rs.getLong(3);
                readable = true;
                failing = false;
            }
        } catch (SQLException e) {
            if (!failing) {
                LOG.warn("tollgate.webhook.backlog.unreadable: the webhook backlog gauges are NaN until the"
                        + " database answers again (SQLState {})", e.getSQLState());
            }
            readable = false;
            failing = true;
        }
        return now;
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    @Override
    public String toString() {
        return "MicrometerWebhookBacklog[refreshEvery " + refreshEvery + "]";
    }

    /** Configures a {@link MicrometerWebhookBacklog}; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private final DataSource dataSource;
        private @Nullable Clock clock;
        private Duration refreshEvery = Duration.ofSeconds(30);

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
         * How long read values are served before a scrape reads the tables again (default 30 s).
         *
         * @param refreshEvery positive
         * @return this builder
         */
        public Builder refreshEvery(Duration refreshEvery) {
            this.refreshEvery = Objects.requireNonNull(refreshEvery, "refreshEvery");
            return this;
        }

        /**
         * Builds the gauges' source; register them with {@link MicrometerWebhookBacklog#bindTo(MeterRegistry)}.
         *
         * @return the backlog meters
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public MicrometerWebhookBacklog build() {
            List<String> problems = new ArrayList<>();
            if (clock == null) {
                problems.add("clock is required: pass the clock the webhook pipeline uses");
            }
            if (refreshEvery.isZero() || refreshEvery.isNegative()) {
                problems.add("refreshEvery must be positive, but was " + refreshEvery);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid webhook backlog meters: " + String.join("; ", problems));
            }
            return new MicrometerWebhookBacklog(this);
        }
    }
}
