package dev.tollgate.webhooks.internal;

import dev.tollgate.internal.BorrowedConnection;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.webhooks.ClaimResult;
import dev.tollgate.webhooks.IdempotencyStoreException;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.WebhookEvent;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous side of {@code webhooks.events}: the intake stores {@code pending} rows; workers claim
 * due rows with {@code FOR UPDATE SKIP LOCKED}, so several workers in several processes never claim the
 * same row twice while its lease runs. Rows of a synchronous pipeline are picked up too once they are
 * due (an expired lease, a failure, a re-driven dead letter), when they hold a payload; rows without one
 * (claimed through {@code claim(provider, eventId, lease)}) are left to their provider's redelivery.
 */
public final class PostgresEventQueue {

    private static final String ENQUEUE_SINGLE = enqueueSql("provider, event_id");
    private static final String ENQUEUE_PARTITIONED = enqueueSql("provider, event_id, event_day");

    private static String enqueueSql(String key) {
        return "INSERT INTO webhooks.events"
                + " (provider, event_id, event_type, state, attempts, next_attempt_at, received_at, payload, event_day)"
                + " VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, " + EventsTable.EVENT_DAY + ")"
                + " ON CONFLICT (" + key + ") DO NOTHING";
    }

    /**
     * Several rows in one statement whose text does not depend on their number: one server-side prepared statement
     * and one plan for every batch size (a {@code VALUES} list with a day lookup per row cost milliseconds of planning
     * per batch on the partitioned table). Rows are inserted in the arrays' order. Each row keeps the day of an
     * earlier key-only claim, as {@link EventsTable#EVENT_DAY} does for one row.
     */
    private static String enqueueRowsSql(String key) {
        return "INSERT INTO webhooks.events"
                + " (provider, event_id, event_type, state, attempts, next_attempt_at, received_at, payload, event_day)"
                + " SELECT r.provider, r.event_id, r.event_type, 'pending', 0, ?, ?, r.payload,"
                + " COALESCE(u.event_day, r.event_day)"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bytea[], ?::date[]) WITH ORDINALITY"
                + "   AS r(provider, event_id, event_type, payload, event_day, n)"
                + " LEFT JOIN webhooks.events u ON u.provider = r.provider AND u.event_id = r.event_id"
                + "   AND u.event_day = DATE '1970-01-01'"
                + " ORDER BY r.n"
                + " ON CONFLICT (" + key + ") DO NOTHING RETURNING provider, event_id";
    }

    private static final String ENQUEUE_ROWS_SINGLE = enqueueRowsSql("provider, event_id");
    private static final String ENQUEUE_ROWS_PARTITIONED = enqueueRowsSql("provider, event_id, event_day");
    private static final int MAX_ATTEMPTS = 3;
    private static final Comparator<Pending> KEY_ORDER = Comparator.<Pending, String>comparing(p -> p.event().provider())
            .thenComparing(p -> p.event().id());

    /** The most rows one statement of {@link #enqueueAll} writes. */
    public static final int MAX_ROWS_PER_STATEMENT = 1_000;

    /**
     * An event for {@link #enqueueAll}.
     *
     * @param event the verified event
     * @param payload its raw body
     */
    public record Pending(WebhookEvent event, byte[] payload) {

        /**
         * @param event the verified event
         * @param payload its raw body
         */
        public Pending {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * What became of one event of {@link #enqueueAll}: stored (new), known already, or not stored.
     *
     * @param stored whether this call stored it as a new pending event
     * @param failure why it could not be stored, or {@code null} when the statement that carried it committed
     */
    public record Outcome(boolean stored, @Nullable IdempotencyStoreException failure) {

        static final Outcome NEW = new Outcome(true, null);
        static final Outcome KNOWN = new Outcome(false, null);
    }

    private static final String CLAIM_DUE_SINGLE = claimDueSql("");
    /** The same, finding each due row again in its own partition. */
    private static final String CLAIM_DUE_PARTITIONED = claimDueSql(" AND e.event_day = due.event_day");

    /** Each token names the row's partition (webhooks.new_lease_token), so completion touches one partition. */
    private static String claimDueSql(String samePartition) {
        return "UPDATE webhooks.events e SET state = 'processing',"
                + " attempts = e.attempts + 1, lease_token = webhooks.new_lease_token(e.event_day), lease_until = ?"
                + " FROM (SELECT provider, event_id, event_day FROM webhooks.events"
                + "       WHERE payload IS NOT NULL AND ((state IN ('pending', 'failed') AND next_attempt_at <= ?)"
                + "          OR (state = 'processing' AND lease_until <= ?))"
                + "       ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) due"
                + " WHERE e.provider = due.provider AND e.event_id = due.event_id" + samePartition
                + " RETURNING e.provider, e.event_id, e.event_type, e.attempts, e.lease_token, e.payload";
    }

    private static final String RENEW = "UPDATE webhooks.events e SET lease_until = ?"
            + " FROM unnest(?::text[], ?::text[], ?::uuid[]) AS held(provider, event_id, lease_token)"
            + " WHERE e.provider = held.provider AND e.event_id = held.event_id"
            + " AND e.state = 'processing' AND e.lease_token = held.lease_token";

    /**
     * A claimed row.
     *
     * @param claim the claim, status NEW
     * @param eventType the stored type
     * @param payload the stored body; {@code null} for a row written by a synchronous claim
     */
    public record ClaimedEvent(ClaimResult claim, @Nullable String eventType, byte @Nullable [] payload) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration timeout;
    private final EventsTable table;

    /**
     * Creates the queue, its statements bounded by the store's default timeout.
     *
     * @param dataSource the database
     * @param clock the clock deciding what is due and when leases end
     */
    public PostgresEventQueue(DataSource dataSource, Clock clock) {
        this(dataSource, clock, PostgresIdempotencyStore.DEFAULT_TIMEOUT);
    }

    /**
     * Creates the queue.
     *
     * @param dataSource the database
     * @param clock the clock deciding what is due and when leases end
     * @param timeout how long each statement may wait for the database
     */
    public PostgresEventQueue(DataSource dataSource, Clock clock, Duration timeout) {
        this(dataSource, clock, timeout, new EventsTable());
    }

    /**
     * Creates the queue, sharing a store's knowledge of the table's shape.
     *
     * @param dataSource the database
     * @param clock the clock deciding what is due and when leases end
     * @param timeout how long each statement may wait for the database
     * @param table the store's view of {@code webhooks.events}
     */
    public PostgresEventQueue(DataSource dataSource, Clock clock, Duration timeout, EventsTable table) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.timeout = timeout;
        this.table = table;
    }

    /**
     * Stores an event as {@code pending}, due now, unless the event is known already.
     *
     * @param event the verified event
     * @param payload the raw body
     * @return whether the event was new
     */
    public boolean enqueue(WebhookEvent event, byte[] payload) {
        LocalDate day = EventsTable.dayOf(event.created());
        OffsetDateTime now = JdbcValues.utc(clock.instant());
        try (BorrowedConnection c = BorrowedConnection.of(dataSource, timeout)) {
            try {
                return enqueue(c.connection(), event, payload, day, now);
            } catch (SQLException e) {
                if (!EventsTable.shapeChanged(e)) {
                    throw e;
                }
                table.forgetShape();
                return enqueue(c.connection(), event, payload, day, now);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "storing a pending event");
        }
    }

    private boolean enqueue(Connection c, WebhookEvent event, byte[] payload, LocalDate day, OffsetDateTime now)
            throws SQLException {
        boolean partitioned = table.partitioned(c);
        try (PreparedStatement s = c.prepareStatement(partitioned ? ENQUEUE_PARTITIONED : ENQUEUE_SINGLE)) {
            s.setString(1, event.provider());
            s.setString(2, event.id());
            s.setString(3, event.type());
            s.setObject(4, now);
            s.setObject(5, now);
            s.setBinaryStream(6, new ByteArrayInputStream(payload), payload.length); // no copy, as setBytes makes
            s.setString(7, event.provider());
            s.setString(8, event.id());
            s.setObject(9, day);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Stores several events as {@code pending} with one multi-row statement in one implicit transaction (auto-commit:
     * one round trip, one commit), so that concurrent deliveries share the commit's flush. Events known already are
     * left alone ({@code ON CONFLICT DO NOTHING}) and answered {@link Outcome#stored() not stored}; the same event
     * twice in {@code events} is written once, and its later copies are answered as known.
     *
     * <p>Every outcome is decided by what committed: when the statement fails because of one row's data (SQLSTATE
     * classes 22 and 23), each event is stored again on its own, so the others are not refused with it; any other
     * failure (the database unreachable, a timeout) fails every event of the call, none of which committed.
     *
     * @param events at most {@link #MAX_ROWS_PER_STATEMENT} events
     * @return one outcome per event, in order
     */
    public List<Outcome> enqueueAll(List<Pending> events) {
        Objects.requireNonNull(events, "events");
        if (events.size() > MAX_ROWS_PER_STATEMENT) {
            throw new IllegalArgumentException("at most " + MAX_ROWS_PER_STATEMENT + " events per statement, but got "
                    + events.size());
        }
        if (events.isEmpty()) {
            return List.of();
        }
        // the first copy of each event is written; later copies are answered as known
        Map<List<String>, Integer> firstIndex = new HashMap<>();
        List<Pending> unique = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            WebhookEvent event = events.get(i).event();
            if (firstIndex.putIfAbsent(List.of(event.provider(), event.id()), i) == null) {
                unique.add(events.get(i));
            }
        }
        // one key order for every batch: two batches sharing events then wait for each other, never deadlock
        unique.sort(KEY_ORDER);
        OffsetDateTime now = JdbcValues.utc(clock.instant());
        Set<List<String>> inserted = null;
        try (BorrowedConnection c = BorrowedConnection.of(dataSource, timeout)) {
            for (int attempt = 1; inserted == null; attempt++) {
                try {
                    inserted = enqueueRows(c.connection(), unique, now);
                } catch (SQLException e) {
                    if (EventsTable.shapeChanged(e) && attempt == 1) {
                        table.forgetShape();
                    } else if (rowSpecific(e)) {
                        return oneByOne(c.connection(), events, firstIndex, now);
                    } else if (!retryable(e) || attempt == MAX_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "storing " + unique.size() + " pending events");
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            WebhookEvent event = events.get(i).event();
            List<String> key = List.of(event.provider(), event.id());
            outcomes.add(firstIndex.get(key) == i && inserted.contains(key) ? Outcome.NEW : Outcome.KNOWN);
        }
        return outcomes;
    }

    /**
     * A deadlock or serialization failure with a transaction outside the batch's order (say, a synchronous claim
     * holding its row while it waits for another): nothing committed, so the statement is simply run again.
     */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("40");
    }

    /** Data and constraint errors belong to one row; everything else (connection, timeout, permissions) to all. */
    private static boolean rowSpecific(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Each event alone on the batch's own connection (auto-commit: one implicit transaction each). */
    private List<Outcome> oneByOne(Connection c, List<Pending> events, Map<List<String>, Integer> firstIndex,
                                   OffsetDateTime now) {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Pending pending = events.get(i);
            WebhookEvent event = pending.event();
            if (firstIndex.get(List.of(event.provider(), event.id())) != i) {
                outcomes.add(Outcome.KNOWN);
                continue;
            }
            try {
                boolean stored = enqueue(c, event, pending.payload(), EventsTable.dayOf(event.created()), now);
                outcomes.add(stored ? Outcome.NEW : Outcome.KNOWN);
            } catch (SQLException e) {
                outcomes.add(new Outcome(false, SqlFailures.translate(e, "storing a pending event")));
            }
        }
        return outcomes;
    }


    private Set<List<String>> enqueueRows(Connection c, List<Pending> rows, OffsetDateTime now) throws SQLException {
        boolean partitioned = table.partitioned(c);
        int size = rows.size();
        String[] providers = new String[size];
        String[] ids = new String[size];
        String[] types = new String[size];
        byte[][] payloads = new byte[size][];
        LocalDate[] days = new LocalDate[size];
        for (int i = 0; i < size; i++) {
            WebhookEvent event = rows.get(i).event();
            providers[i] = event.provider();
            ids[i] = event.id();
            types[i] = event.type();
            payloads[i] = rows.get(i).payload();
            days[i] = EventsTable.dayOf(event.created());
        }
        try (PreparedStatement s = c.prepareStatement(partitioned ? ENQUEUE_ROWS_PARTITIONED : ENQUEUE_ROWS_SINGLE)) {
            s.setObject(1, now);
            s.setObject(2, now);
            s.setArray(3, c.createArrayOf("text", providers));
            s.setArray(4, c.createArrayOf("text", ids));
            s.setArray(5, c.createArrayOf("text", types));
            s.setArray(6, c.createArrayOf("bytea", payloads));
            s.setArray(7, c.createArrayOf("date", days));
            Set<List<String>> inserted = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    inserted.add(List.of(rs.getString(1), rs.getString(2)));
                }
            }
            return inserted;
        }
    }

    /**
     * Claims up to {@code limit} due events: pending or failed ones whose retry is due, and ones whose
     * lease expired. Rows locked by another worker are skipped, not waited for.
     *
     * @param limit the most events to claim
     * @param lease how long this worker holds them
     * @return the claimed events
     */
    public List<ClaimedEvent> claimDue(int limit, Duration lease) {
        Instant now = clock.instant();
        try (BorrowedConnection c = BorrowedConnection.of(dataSource, timeout);
             PreparedStatement s = c.connection().prepareStatement(
                     table.partitioned(c.connection()) ? CLAIM_DUE_PARTITIONED : CLAIM_DUE_SINGLE)) {
            s.setObject(1, JdbcValues.utc(now.plus(lease)));
            s.setObject(2, JdbcValues.utc(now));
            s.setObject(3, JdbcValues.utc(now));
            s.setInt(4, limit);
            List<ClaimedEvent> claimed = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ClaimResult claim = new ClaimResult(ClaimResult.Status.NEW, rs.getString(1), rs.getString(2),
                            rs.getInt(4), rs.getObject(5, UUID.class));
                    claimed.add(new ClaimedEvent(claim, rs.getString(3), rs.getBytes(6)));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "claiming due events");
        }
    }

    /**
     * The heartbeat: extends the leases this worker still holds to {@code now + lease}, in one statement. A
     * lease that was taken over (or completed meanwhile) is left alone: its token no longer matches.
     *
     * @param held the claims in flight
     * @param lease how long from now each is held
     * @return how many leases were extended
     */
    public int renew(Collection<ClaimResult> held, Duration lease) {
        if (held.isEmpty()) {
            return 0;
        }
        String[] providers = new String[held.size()];
        String[] eventIds = new String[held.size()];
        UUID[] tokens = new UUID[held.size()];
        int i = 0;
        for (ClaimResult claim : held) {
            providers[i] = claim.provider();
            eventIds[i] = claim.eventId();
            tokens[i++] = Objects.requireNonNull(claim.leaseToken(), "a held claim has a lease token");
        }
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout);
             PreparedStatement s = borrowed.connection().prepareStatement(RENEW)) {
            Connection c = borrowed.connection();
            s.setObject(1, JdbcValues.utc(clock.instant().plus(lease)));
            s.setArray(2, c.createArrayOf("text", providers));
            s.setArray(3, c.createArrayOf("text", eventIds));
            s.setArray(4, c.createArrayOf("uuid", tokens));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "renewing leases");
        }
    }

}
