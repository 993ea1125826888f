package dev.tollgate.webhooks;

import dev.tollgate.internal.BorrowedConnection;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.webhooks.internal.SqlFailures;
import dev.tollgate.webhooks.internal.StoreArguments;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Operator commands for the events a {@link PostgresIdempotencyStore} keeps: list them, show one, re-drive dead
 * letters and replay a processed event on purpose. Every statement is prepared; payloads are read only by
 * {@link #show(String, String, boolean)} when asked for.
 *
 * <pre>{@code
 * WebhookEvents events = WebhookEvents.create(dataSource, Clock.systemUTC());
 * List<EventRecord> dead = events.list(EventFilter.builder().state(EventState.DEAD).build());
 * int redriven = events.redrive(EventFilter.builder().state(EventState.DEAD).provider("stripe").build());
 * }</pre>
 *
 * <p>Re-drive and replay only put events back to {@code pending}: an {@link AsyncWebhookPipeline}'s
 * {@link WebhookWorker} on the same database runs their handlers, each once, as for a new delivery.
 */
public final class WebhookEvents {

    private static final String COLUMNS = "provider, event_id, event_type, state, attempts, received_at,"
            + " processed_at, last_error";

    private static final String SHOW = "SELECT " + COLUMNS + ", CASE WHEN ? THEN payload END"
            + " FROM webhooks.events WHERE provider = ? AND event_id = ?";

    private static final String SHOW_DEAD_LETTERS = "SELECT attempts, last_error, dead_at, redriven_at"
            + " FROM webhooks.dead_letter_queue WHERE provider = ? AND event_id = ? ORDER BY dead_at, id";

    private static final String SHOW_REPLAYS = "SELECT replayed_at FROM webhooks.event_replays"
            + " WHERE provider = ? AND event_id = ? ORDER BY replayed_at, id";

    private static final String REPLAY = "WITH old AS ("
            + " SELECT provider, event_id, processed_at FROM webhooks.events"
            + " WHERE provider = ? AND event_id = ? AND state = 'processed' AND payload IS NOT NULL FOR UPDATE),"
            + " r AS (UPDATE webhooks.events e SET state = 'pending', attempts = 0, next_attempt_at = ?,"
            + " processed_at = NULL, last_error = NULL, lease_token = NULL, lease_until = NULL FROM old"
            + " WHERE e.provider = old.provider AND e.event_id = old.event_id AND e.state = 'processed'"
            + " RETURNING e.provider, e.event_id, old.processed_at),"
            + " a AS (INSERT INTO webhooks.event_replays (provider, event_id, replayed_at, previous_processed_at)"
            + " SELECT provider, event_id, ?, processed_at FROM r)"
            + " SELECT count(*) FROM r";

    private static final String REPLAY_DIAGNOSIS = "SELECT state, payload IS NOT NULL FROM webhooks.events"
            + " WHERE provider = ? AND event_id = ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final PostgresIdempotencyStore store;

    private WebhookEvents(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.store = PostgresIdempotencyStore.create(dataSource, clock);
    }

    /**
     * @param dataSource the database holding the {@code webhooks} schema (migrations V1 to V4)
     * @param clock the clock for ages in filters and for re-drive and replay times
     * @return operator commands on that database
     */
    public static WebhookEvents create(DataSource dataSource, Clock clock) {
        return new WebhookEvents(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Lists events matching a filter, newest received first (ties by provider and id), without payloads.
     *
     * @param filter which events, and how many at most
     * @return the events, at most {@code filter.limit()}
     * @throws IdempotencyStoreException when the database fails
     */
    public List<EventRecord> list(EventFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM webhooks.events" + where(filter, args)
                + " ORDER BY received_at DESC, provider, event_id LIMIT ?";
        args.add(filter.limit());
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            List<EventRecord> list = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    list.add(record(rs));
                }
            }
            return List.copyOf(list);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "listing events");
        }
    }

    /**
     * Shows one event without its payload; see {@link #show(String, String, boolean)}.
     *
     * @param provider the provider name
     * @param eventId the provider's event id
     * @return the event's details, or empty when no event has that key
     */
    public Optional<EventDetails> show(String provider, String eventId) {
        return show(provider, eventId, false);
    }

    /**
     * Shows one event: its metadata, attempts, last error, dead-letter rows and replays.
     *
     * @param provider the provider name
     * @param eventId the provider's event id
     * @param withPayload whether to read the stored payload too (it may hold personal data)
     * @return the event's details, or empty when no event has that key
     * @throws IdempotencyStoreException when the database fails
     */
    public Optional<EventDetails> show(String provider, String eventId, boolean withPayload) {
        StoreArguments.requireKey(provider, eventId);
        try (BorrowedConnection c = borrow()) {
            EventRecord event;
            @Nullable String payload;
            try (PreparedStatement s = c.connection().prepareStatement(SHOW)) {
                s.setBoolean(1, withPayload);
                s.setString(2, provider);
                s.setString(3, eventId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    event = record(rs);
                    byte[] bytes = rs.getBytes(9);
                    payload = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
                }
            }
            List<EventDetails.DeadLetterEntry> deadLetters = new ArrayList<>();
            try (PreparedStatement s = c.connection().prepareStatement(SHOW_DEAD_LETTERS)) {
                s.setString(1, provider);
                s.setString(2, eventId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        deadLetters.add(new EventDetails.DeadLetterEntry(rs.getInt(1), rs.getString(2),
                                instant(rs, 3), nullableInstant(rs, 4)));
                    }
                }
            }
            List<Instant> replays = new ArrayList<>();
            try (PreparedStatement s = c.connection().prepareStatement(SHOW_REPLAYS)) {
                s.setString(1, provider);
                s.setString(2, eventId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        replays.add(instant(rs, 1));
                    }
                }
            }
            return Optional.of(new EventDetails(event, deadLetters, replays, payload));
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "showing an event");
        }
    }

    /**
     * Re-drives one dead letter, exactly as {@link PostgresIdempotencyStore#redrive(String, String)} does.
     *
     * @param provider the provider name
     * @param eventId the provider's event id
     * @return whether it was dead and is now pending again
     */
    public boolean redrive(String provider, String eventId) {
        return store.redrive(provider, eventId);
    }

    /**
     * Re-drives every dead event matching a filter (its states are ignored: only dead events are looked at), up
     * to {@code filter.limit()}, oldest received first. Each is re-driven with the store's own
     * {@link PostgresIdempotencyStore#redrive(String, String)}, so an event re-driven concurrently by someone else
     * is counted once, by whoever moved it.
     *
     * @param filter which dead events
     * @return how many this call put back to pending
     * @throws IdempotencyStoreException when the database fails
     */
    public int redrive(EventFilter filter) {
        Objects.requireNonNull(filter, "filter");
        EventFilter dead = filter.withStates(Set.of(EventState.DEAD));
        List<Object> args = new ArrayList<>();
        String sql = "SELECT provider, event_id FROM webhooks.events" + where(dead, args)
                + " ORDER BY received_at, provider, event_id LIMIT ?";
        args.add(dead.limit());
        List<String[]> keys = new ArrayList<>();
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "selecting dead letters to re-drive");
        }
        int redriven = 0;
        for (String[] key : keys) {
            if (store.redrive(key[0], key[1])) {
                redriven++;
            }
        }
        return redriven;
    }

    /**
     * Replays a processed event on purpose: puts it back to {@code pending} with no attempts, so a worker runs its
     * handlers again, and records the replay in {@code webhooks.event_replays} in the same statement. Handlers must
     * tolerate this: it is the one way Tollgate runs them twice for one event.
     *
     * @param provider the provider name
     * @param eventId the provider's event id
     * @return what happened; only {@link ReplayOutcome#REPLAYED} changed anything
     * @throws IdempotencyStoreException when the database fails
     */
    public ReplayOutcome replay(String provider, String eventId) {
        StoreArguments.requireKey(provider, eventId);
        Instant now = clock.instant();
        try (BorrowedConnection c = borrow()) {
            try (PreparedStatement s = c.connection().prepareStatement(REPLAY)) {
                s.setString(1, provider);
                s.setString(2, eventId);
                s.setObject(3, JdbcValues.utc(now));
                s.setObject(4, JdbcValues.utc(now));
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getLong(1) == 1) {
                        return ReplayOutcome.REPLAYED;
                    }
                }
            }
            try (PreparedStatement s = c.connection().prepareStatement(REPLAY_DIAGNOSIS)) {
                s.setString(1, provider);
                s.setString(2, eventId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return ReplayOutcome.NOT_FOUND;
                    }
                    if (!"processed".equals(rs.getString(1))) {
                        return ReplayOutcome.NOT_PROCESSED;
                    }
                    return rs.getBoolean(2) ? ReplayOutcome.NOT_PROCESSED : ReplayOutcome.NO_PAYLOAD;
                }
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "replaying an event");
        }
    }

    @Override
    public String toString() {
        return "WebhookEvents[" + dataSource.getClass().getSimpleName() + "]";
    }

    private String where(EventFilter filter, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            List<String> marks = new ArrayList<>();
            filter.states().stream().map(EventState::databaseValue).sorted().forEach(v -> {
                marks.add("?");
                args.add(v);
            });
            conditions.add("state IN (" + String.join(", ", marks) + ")");
        }
        filter.provider().ifPresent(p -> {
            conditions.add("provider = ?");
            args.add(p);
        });
        filter.eventType().ifPresent(t -> {
            conditions.add("event_type = ?");
            args.add(t);
        });
        Instant now = clock.instant();
        filter.olderThan().ifPresent(age -> {
            conditions.add("received_at <= ?");
            args.add(JdbcValues.utc(now.minus(age)));
        });
        filter.newerThan().ifPresent(age -> {
            conditions.add("received_at >= ?");
            args.add(JdbcValues.utc(now.minus(age)));
        });
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static EventRecord record(ResultSet rs) throws SQLException {
        return new EventRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                EventState.fromDatabaseValue(rs.getString(4)), rs.getInt(5), instant(rs, 6),
                nullableInstant(rs, 7), rs.getString(8));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private BorrowedConnection borrow() throws SQLException {
        return BorrowedConnection.of(dataSource, PostgresIdempotencyStore.DEFAULT_TIMEOUT);
    }
}
