package dev.tollgate.webhooks.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the store must know about the shape of {@code webhooks.events} (migration {@code V3__partitioned_events.sql}):
 * whether it is partitioned by {@code event_day}, and how an event's day and its lease token are made. A day without
 * a partition of its own goes to the default partition, so claims never wait for DDL.
 *
 * <p>An event's day is the UTC day its provider created it ({@link #dayOf(Instant)}), so every redelivery of
 * one event names the same partition and the key {@code (provider, event_id, event_day)} keeps one row per event.
 * A lease token carries its row's day (a version-8 UUID whose first 32 bits are the day's number, as
 * {@code webhooks.new_lease_token} makes them in SQL), so completion and failure touch one partition.
 *
 * <p>The shape is read once and remembered; {@link #forgetShape()} makes the next statement read it again (after
 * {@code webhooks.partition_events()} converted the table under a running store). Thread-safe.
 */
public final class EventsTable {

    /** The day of events whose payload names no creation time. */
    public static final LocalDate UNDATED = LocalDate.EPOCH;

    /**
     * SQL for the day of a new event's row (parameters: provider, event id, the event's own day): its own day,
     * unless the event was claimed by key alone before, which keeps it under {@link #UNDATED} (one index probe in
     * that one partition).
     */
    public static final String EVENT_DAY = "COALESCE((SELECT u.event_day FROM webhooks.events u"
            + " WHERE u.provider = ? AND u.event_id = ? AND u.event_day = DATE '1970-01-01'), ?)";

    /** SQLSTATE of "no unique or exclusion constraint matching the ON CONFLICT specification". */
    private static final String NO_MATCHING_KEY = "42P10";

    private static final String SHAPE = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table"
            + " WHERE partrelid = to_regclass('webhooks.events'))";
    private static final String ENSURE = "SELECT webhooks.ensure_event_partition(?)";
    private static final long VERSION_8 = 0x8000L;

    private volatile @Nullable Boolean partitioned;

    /**
     * The partition day of an event.
     *
     * @param created when the provider created the event, or {@code null} when its payload does not say
     * @return the UTC day, or {@link #UNDATED}
     */
    public static LocalDate dayOf(@Nullable Instant created) {
        return created == null ? UNDATED : LocalDate.ofInstant(created, ZoneOffset.UTC);
    }

    /**
     * A new random lease token naming a day.
     *
     * @param day the row's day
     * @return a version-8 UUID with the day in its first 32 bits and 90 random bits
     */
    public static UUID newLeaseToken(LocalDate day) {
        long epochDay = day.toEpochDay();
        UUID random = UUID.randomUUID();
        if (epochDay < 0 || epochDay > 0xFFFF_FFFFL) {
            return random;
        }
        long msb = (epochDay << 32) | (random.getMostSignificantBits() & 0xFFFF_0FFFL) | VERSION_8;
        return new UUID(msb, random.getLeastSignificantBits()); // keeps version 4's RFC 9562 variant bits
    }

    /**
     * The day a lease token names.
     *
     * @param token a lease token
     * @return its day; empty for a token that names none (made by a release before partitioning)
     */
    public static Optional<LocalDate> dayOf(UUID token) {
        if (token.version() != 8) {
            return Optional.empty();
        }
        return Optional.of(LocalDate.ofEpochDay(token.getMostSignificantBits() >>> 32));
    }

    /**
     * Whether {@code webhooks.events} is partitioned, read once per store.
     *
     * @param connection a connection to read the catalogue with
     * @return {@code true} when partitioned by day
     * @throws SQLException when the catalogue cannot be read
     */
    public boolean partitioned(Connection connection) throws SQLException {
        Boolean known = partitioned;
        if (known != null) {
            return known;
        }
        try (PreparedStatement s = connection.prepareStatement(SHAPE); ResultSet rs = s.executeQuery()) {
            boolean value = rs.next() && rs.getBoolean(1);
            partitioned = value;
            return value;
        }
    }

    /** Makes the next statement read the table's shape again. */
    public void forgetShape() {
        partitioned = null;
    }

    /**
     * Prepares a day's partition ({@code webhooks.ensure_event_partition}); for retention, as the owner of
     * {@code webhooks.events}.
     *
     * @param connection a connection in auto-commit mode
     * @param day the day
     * @return whether the day has a partition of its own now (not when the default partition holds rows of it)
     * @throws SQLException when it cannot be made (42501 when the role does not own the table)
     */
    public static boolean ensurePartition(Connection connection, LocalDate day) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(ENSURE)) {
            s.setObject(1, day);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getString(1) != null;
            }
        }
    }

    /**
     * Whether a failure means the table's shape changed under the store ({@code webhooks.partition_events()}
     * converted it meanwhile), so the statement is worth one more try after {@link #forgetShape()}.
     *
     * @param e the failure
     * @return {@code true} for an ON CONFLICT key that no longer matches
     */
    public static boolean shapeChanged(SQLException e) {
        return NO_MATCHING_KEY.equals(e.getSQLState());
    }
}
