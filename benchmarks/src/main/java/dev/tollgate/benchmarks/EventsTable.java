package dev.tollgate.benchmarks;

import dev.tollgate.migrations.SchemaMigrator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Data set-up on {@code webhooks.events} for the PostgreSQL benchmarks: reset, pre-fill with
 * {@code generate_series}, and clean-up of the rows a measurement inserted. Pre-filled rows are
 * {@code processed} Stripe events with random ids and a short payload (the index, which a claim touches,
 * has its real size; the heap stays small so that set-up is fast).
 */
public final class EventsTable {

    /** Age beyond which the purge deletes processed events. */
    public static final Duration RETENTION = Duration.ofDays(30);

    /** The partitions of the days a pre-fill of a given age (in seconds) writes into. */
    private static final String PREFILL_PARTITIONS = """
            SELECT webhooks.ensure_event_partition(d::date)
              FROM generate_series(((now() - (? + 86400) * interval '1 second') AT TIME ZONE 'UTC')::date,
                                   ((now() - ? * interval '1 second') AT TIME ZONE 'UTC')::date,
                                   interval '1 day') AS d""";

    /** One day's rows (parameters: seed, rows, the day): processed through the day, as a busy service's. */
    private static final String PREFILL_DAY = """
            INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, next_attempt_at,
                                         received_at, processed_at, payload, event_day)
            SELECT 'stripe', 'evt_' || md5(? || ':' || g), 'customer.subscription.updated', 'processed', 1, t, t, t,
                   convert_to('{"id":"evt_prefilled","object":"event","type":"customer.subscription.updated"}', 'UTF8'),
                   day
              FROM (SELECT ?::date AS day) AS d, generate_series(1, ?) AS g,
                   LATERAL (SELECT (day::timestamp AT TIME ZONE 'UTC') + (g % 86400) * interval '1 second' AS t) AS times""";

    private static final String PREFILL = """
            INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, next_attempt_at,
                                         received_at, processed_at, payload, event_day)
            SELECT 'stripe', 'evt_' || md5(? || ':' || g), 'customer.subscription.updated', 'processed', 1, t, t, t,
                   convert_to('{"id":"evt_prefilled","object":"event","type":"customer.subscription.updated"}', 'UTF8'),
                   (t AT TIME ZONE 'UTC')::date
              FROM generate_series(1, ?) AS g,
                   LATERAL (SELECT now() - ? * interval '1 second'
                                   - (g % 86400) * interval '1 second' AS t) AS times""";

    private EventsTable() {
    }

    /**
     * Applies Tollgate's {@code webhooks} migrations ({@link SchemaMigrator}) if not applied yet and empties
     * {@code webhooks.events} and its dead-letter queue.
     *
     * @param dataSource the benchmark database
     */
    public static void reset(DataSource dataSource) {
        SchemaMigrator.forModules("webhooks").migrate(dataSource);
        execute(dataSource, "TRUNCATE webhooks.events, webhooks.dead_letter_queue");
        execute(dataSource, "SELECT webhooks.partition_events()"); // a cluster kept from before V3: convert it
        checkpoint(dataSource);
    }

    /**
     * Runs {@code webhooks.ensure_event_partition}, which gives up after a 1 s lock timeout (its DDL must not queue
     * behind claims): here an autovacuum of the default partition after the previous benchmark's deletes can hold
     * it for longer, so it is tried again, for up to a minute.
     */
    private static void ensurePartition(PreparedStatement ensure) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                ensure.executeQuery().close();
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState()) || attempt == 60) {
                    throw e;
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Writes a checkpoint (untimed, in a set-up), so that a benchmark after a write-heavy one does not measure that
     * one's checkpoint I/O. Needs a superuser or {@code pg_checkpoint} (run.sh's server has both); skipped otherwise.
     *
     * @param dataSource the benchmark database
     */
    public static void checkpoint(DataSource dataSource) {
        try {
            execute(dataSource, "CHECKPOINT");
        } catch (IllegalStateException e) {
            System.out.println("CHECKPOINT skipped (needs a superuser or pg_checkpoint): " + e.getMessage());
        }
    }

    /**
     * Applies Tollgate's {@code webhooks} migrations if not applied yet and makes sure the table is partitioned,
     * keeping its rows.
     *
     * @param dataSource the benchmark database
     */
    public static void migrate(DataSource dataSource) {
        SchemaMigrator.forModules("webhooks").migrate(dataSource);
        execute(dataSource, "SELECT webhooks.partition_events()");
    }

    /**
     * Pre-fills {@code rows} processed events spread evenly over the {@code days} days before today (UTC), each
     * day in its own partition, then runs {@code VACUUM ANALYZE}: a service keeping {@code days} days of events.
     * Days filled already (by an earlier trial on the same table) are kept, so only what retention dropped is
     * filled again.
     *
     * @param dataSource the benchmark database
     * @param rows how many rows in all
     * @param days over how many days
     * @param seed makes the ids of this pre-fill differ from others
     * @return the first (oldest) day filled
     */
    public static LocalDate prefillDays(DataSource dataSource, long rows, int days, String seed) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate oldest = today.minusDays(days);
        long perDay = rows / days;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ensure = c.prepareStatement("SELECT webhooks.ensure_event_partition(?)");
             PreparedStatement fill = c.prepareStatement(PREFILL_DAY)) {
            for (LocalDate day = oldest; day.isBefore(today); day = day.plusDays(1)) {
                ensure.setObject(1, day);
                ensurePartition(ensure);
                if (queryLong(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_day = DATE '" + day
                        + "'") >= perDay) {
                    continue; // kept from an earlier trial: filled already
                }
                fill.setString(1, seed + ":" + day);
                fill.setObject(2, day);
                fill.setLong(3, perDay);
                fill.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not pre-fill webhooks.events: " + e.getMessage(), e);
        }
        execute(dataSource, "VACUUM ANALYZE webhooks.events");
        return oldest;
    }

    /**
     * Inserts processed events received between {@code age} and {@code age} + 1 day ago, then runs
     * {@code VACUUM ANALYZE} so the table is in a steady state.
     *
     * @param dataSource the benchmark database
     * @param rows how many rows to add
     * @param age how old the newest added row is
     * @param seed makes the ids of this batch differ from other batches
     * @return the number of rows inserted
     */
    public static long prefill(DataSource dataSource, long rows, Duration age, String seed) {
        long inserted;
        try (Connection c = dataSource.getConnection(); PreparedStatement days = c.prepareStatement(PREFILL_PARTITIONS);
             PreparedStatement ps = c.prepareStatement(PREFILL)) {
            days.setLong(1, age.toSeconds());
            days.setLong(2, age.toSeconds());
            days.executeQuery().close();
            ps.setString(1, seed);
            ps.setLong(2, rows);
            ps.setLong(3, age.toSeconds());
            inserted = ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not pre-fill webhooks.events: " + e.getMessage(), e);
        }
        execute(dataSource, "VACUUM ANALYZE webhooks.events");
        return inserted;
    }

    /**
     * @param dataSource the benchmark database
     * @return the rows in the table
     */
    public static long count(DataSource dataSource) {
        return queryLong(dataSource, "SELECT count(*) FROM webhooks.events");
    }

    /**
     * @param dataSource the benchmark database
     * @return the processed rows older than {@link #RETENTION}, which the purge may delete
     */
    public static long countPurgeable(DataSource dataSource) {
        return queryLong(dataSource, "SELECT count(*) FROM webhooks.events WHERE state = 'processed'"
                + " AND processed_at < now() - interval '" + RETENTION.toSeconds() + " seconds'");
    }

    /**
     * @param dataSource the benchmark database
     * @return the database server's current time, to pass to {@link #deleteReceivedSince} later
     */
    public static Timestamp databaseNow(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the database time: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the events received at or after a database time (the ones a measurement claimed), so that
     * the table keeps the size the benchmark set up.
     *
     * @param dataSource the benchmark database
     * @param since a value of {@link #databaseNow}
     * @return the number of rows deleted
     */
    public static int deleteReceivedSince(DataSource dataSource, Timestamp since) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhooks.events WHERE received_at >= ?")) {
            ps.setTimestamp(1, since);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not clean webhooks.events: " + e.getMessage(), e);
        }
    }

    private static long queryLong(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
