package dev.tollgate.webhooks;

import dev.tollgate.internal.BorrowedConnection;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.webhooks.internal.EventsTable;
import dev.tollgate.webhooks.internal.SqlFailures;
import dev.tollgate.webhooks.internal.StoreArguments;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IdempotencyStore} in PostgreSQL tables {@code webhooks.events} and
 * {@code webhooks.dead_letter_queue} (migration {@code db/tollgate/webhooks/V1__webhook_events.sql};
 * apply it with {@code SchemaMigrator.forModules("webhooks").migrate(dataSource)}). Correct across every
 * process that shares the database.
 *
 * <pre>{@code
 * PostgresIdempotencyStore store = PostgresIdempotencyStore.create(hikariDataSource);
 * }</pre>
 *
 * <p>A claim is one {@code INSERT … ON CONFLICT (provider, event_id) DO UPDATE … RETURNING} statement:
 * the row is inserted, or taken over when its lease expired or its retry is due, or left as it is, and
 * the statement returns the row either way. Duplicates are never detected by catching a unique-key
 * violation, so a claim made with {@link #claim(Connection, String, String, Duration)} inside the caller's
 * transaction leaves that transaction usable. A duplicate claim writes a new row version (the
 * {@code DO UPDATE} always runs, so the answer never depends on a snapshot race); autovacuum reclaims it.
 *
 * <p>Every time written comes from the store's {@link Clock}, not from the database's {@code now()}, so
 * all replicas must run with synchronized clocks (NTP) — as leases anyway require.
 */
public final class PostgresIdempotencyStore implements IdempotencyStore {

    private static final String CLAIMABLE = "((e.state = 'processing' AND e.lease_until <= EXCLUDED.received_at)"
            + " OR (e.state IN ('pending', 'failed') AND e.next_attempt_at <= EXCLUDED.received_at))";

    /** The conflict key of the single table (before V3, or not converted yet). */
    private static final String SINGLE_KEY = "provider, event_id";
    /** The conflict key of the table partitioned by day: every redelivery repeats the day (see EventsTable). */
    private static final String PARTITIONED_KEY = "provider, event_id, event_day";

    /**
     * The day of an event claimed by key alone (parameters: provider, event id, 1970-01-01): the day of its row
     * wherever it is (every partition's key is probed), else 1970-01-01.
     */
    private static final String KEY_DAY = "COALESCE((SELECT u.event_day FROM webhooks.events u"
            + " WHERE u.provider = ? AND u.event_id = ? ORDER BY u.event_day LIMIT 1), ?)";

    private static final String CLAIM_SINGLE = claimSql(SINGLE_KEY, EventsTable.EVENT_DAY);
    private static final String CLAIM_PARTITIONED = claimSql(PARTITIONED_KEY, EventsTable.EVENT_DAY);
    private static final String CLAIM_KEY_SINGLE = claimSql(SINGLE_KEY, KEY_DAY);
    private static final String CLAIM_KEY_PARTITIONED = claimSql(PARTITIONED_KEY, KEY_DAY);
    private static final String CLAIM_PROCESSED_SINGLE = claimProcessedSql(SINGLE_KEY, "");
    /**
     * On the partitioned table the transactional claim is the INSERT alone: a statement naming
     * {@code webhooks.events} with a day parameter in a WHERE (as the single table's read-back branch does) is
     * planned on every call under custom plans, or locks every partition when it starts under a generic one
     * (measured: 0.28 ms of planning per claim, or the lock of ~100 partitions). An INSERT routes its row at run
     * time, so its plan names no partition and is cached like any other. When the conflict's WHERE leaves a
     * duplicate untouched (no row returned), {@link #CLAIM_STATE_IN_DAY} reads its state: a second statement only
     * for duplicates.
     */
    private static final String CLAIM_PROCESSED_PARTITIONED = claimProcessedInsert(PARTITIONED_KEY);

    /** The state of a duplicate the partitioned claim left untouched (parameters: provider, event id, its day). */
    private static final String CLAIM_STATE_IN_DAY = "SELECT state, attempts FROM webhooks.events"
            + " WHERE provider = ? AND event_id = ? AND event_day IN (?, DATE '1970-01-01')"
            + " ORDER BY event_day DESC LIMIT 1";

    private static String claimSql(String key, String day) {
        return "INSERT INTO webhooks.events AS e"
                + " (provider, event_id, state, attempts, lease_token, lease_until, next_attempt_at, received_at,"
                + " event_type, payload, event_day)"
                + " VALUES (?, ?, 'processing', 1, ?, ?, ?, ?, ?, ?, " + day + ")"
                + " ON CONFLICT (" + key + ") DO UPDATE SET"
                + " event_type = COALESCE(e.event_type, EXCLUDED.event_type),"
                + " payload = COALESCE(e.payload, EXCLUDED.payload),"
                + " state = CASE WHEN " + CLAIMABLE + " THEN 'processing' ELSE e.state END,"
                + " attempts = CASE WHEN " + CLAIMABLE + " THEN e.attempts + 1 ELSE e.attempts END,"
                + " lease_token = CASE WHEN " + CLAIMABLE + " THEN EXCLUDED.lease_token ELSE e.lease_token END,"
                + " lease_until = CASE WHEN " + CLAIMABLE + " THEN EXCLUDED.lease_until ELSE e.lease_until END"
                + " RETURNING e.state, e.attempts, e.lease_token";
    }

    /**
     * Claim and completion in one statement, for handlers whose effects commit in the same transaction:
     * a new or re-claimable event is written {@code processed} at once (the caller's rollback undoes it).
     * A duplicate is not rewritten (the conflict's WHERE is false, so the row is only locked) and its
     * state is read back in the same statement; when the conflicting row was committed after this
     * statement's snapshot, neither branch returns a row and the statement is run again.
     */
    private static String claimProcessedSql(String key, String sameDay) {
        return "WITH claimed AS (" + claimProcessedInsert(key) + ")"
                + " SELECT 'claimed', attempts FROM claimed"
                + " UNION ALL"
                + " SELECT state, attempts FROM webhooks.events"
                + " WHERE provider = ? AND event_id = ?" + sameDay + " AND NOT EXISTS (SELECT 1 FROM claimed)";
    }

    /** The claim-and-complete INSERT: returns the row's attempts when it claimed, nothing for a duplicate. */
    private static String claimProcessedInsert(String key) {
        return "INSERT INTO webhooks.events AS e"
                + " (provider, event_id, state, attempts, next_attempt_at, received_at, processed_at, event_type,"
                + " payload, event_day)"
                + " VALUES (?, ?, 'processed', 1, ?, ?, ?, ?, ?, " + EventsTable.EVENT_DAY + ")"
                + " ON CONFLICT (" + key + ") DO UPDATE SET"
                + " event_type = COALESCE(e.event_type, EXCLUDED.event_type),"
                + " payload = COALESCE(e.payload, EXCLUDED.payload),"
                + " state = 'processed', attempts = e.attempts + 1, processed_at = EXCLUDED.processed_at,"
                + " last_error = NULL, lease_token = NULL, lease_until = NULL"
                + " WHERE " + CLAIMABLE
                + " RETURNING e.attempts";
    }

    private static final int CLAIM_PROCESSED_TRIES = 5;

    private static final String COMPLETE_BY_KEY = completeSql("");
    /** Completion in the one partition the lease token names. */
    private static final String COMPLETE_IN_DAY = completeSql(" AND event_day = ?");

    private static String completeSql(String sameDay) {
        return "UPDATE webhooks.events SET state = 'processed', processed_at = ?,"
                + " lease_token = NULL, lease_until = NULL, last_error = NULL"
                + " WHERE provider = ? AND event_id = ? AND state = 'processing' AND lease_token = ?" + sameDay;
    }

    private static final String FAIL_BY_KEY = failSql("");
    private static final String FAIL_IN_DAY = failSql(" AND event_day = ?");

    private static String failSql(String sameDay) {
        return "WITH f AS ("
                + " UPDATE webhooks.events SET state = CASE WHEN attempts >= ? THEN 'dead' ELSE 'failed' END,"
                + " last_error = ?, next_attempt_at = ?, lease_token = NULL, lease_until = NULL"
                + " WHERE provider = ? AND event_id = ? AND state = 'processing' AND lease_token = ?" + sameDay
                + " RETURNING provider, event_id, event_day, event_type, attempts, state, last_error),"
                + " d AS (INSERT INTO webhooks.dead_letter_queue"
                + " (provider, event_id, event_day, event_type, attempts, last_error, dead_at)"
                + " SELECT provider, event_id, event_day, event_type, attempts, last_error, ? FROM f"
                + " WHERE state = 'dead')"
                + " SELECT state FROM f";
    }

    private static final String PURGE = "DELETE FROM webhooks.events WHERE state = 'processed' AND processed_at < ?";

    /** The days that have a partition (named {@code events_pYYYYMMDD} by {@code webhooks.ensure_event_partition}). */
    private static final String PARTITION_DAYS = "SELECT to_date(substr(c.relname, 9), 'YYYYMMDD')"
            + " FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = to_regclass('webhooks.events') AND c.relname ~ '^events_p[0-9]{8}$'"
            + " ORDER BY 1";

    /**
     * Whether a day's rows were all processed before the cut-off: two index probes (the partial indexes on
     * unfinished rows and on processed_at), no scan of the partition.
     */
    private static final String DAY_DROPPABLE = "SELECT NOT EXISTS (SELECT 1 FROM webhooks.events"
            + " WHERE event_day = ? AND state <> 'processed')"
            + " AND NOT EXISTS (SELECT 1 FROM webhooks.events"
            + " WHERE event_day = ? AND state = 'processed' AND processed_at >= ?)";

    /** A day's rows, counted by one process (no parallel workers taking cores from claims). */
    private static final String DAY_ROWS = "SELECT count(*) FROM webhooks.events WHERE event_day = ?";

    /** Retention's first step: detaches a day's partition under a short lock (migration V6). */
    private static final String DETACH_DAY = "SELECT webhooks.detach_event_partition(?, ?)";

    /** Retention's second step: drops detached partitions, under no lock of webhooks.events. */
    private static final String DROP_DETACHED = "SELECT webhooks.drop_detached_event_partitions()";

    /**
     * The row-by-row part of retention on the partitioned table (parameters: cut-off, first day left out, first
     * day taken again). Days from two after the cut-off's to the last one made ahead are left out, so the plan
     * names the few partitions that can hold such rows (every partition planned: 30–40 ms per purge, measured):
     * the provider dated their events after the cut-off, so only a sender's clock more than a day ahead puts an
     * old processed row there, and a later purge deletes it. Days after those made ahead (in the default
     * partition) are taken, whatever their date.
     */
    private static final String PURGE_PARTITIONED = PURGE + " AND (event_day < ? OR event_day >= ?)";

    /** Days made ahead by {@link #purge(Instant)}, after today. */
    private static final int DAYS_AHEAD = 7;
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresIdempotencyStore.class);
    private static final AtomicBoolean NOT_OWNER_SAID = new AtomicBoolean();

    private static final String DEAD_LETTERS = "SELECT provider, event_id, event_type, attempts, last_error, dead_at"
            + " FROM webhooks.dead_letter_queue WHERE redriven_at IS NULL ORDER BY dead_at, id LIMIT ?";

    private static final String REDRIVE = "WITH r AS ("
            + " UPDATE webhooks.events SET state = 'pending', attempts = 0, next_attempt_at = ?"
            + " WHERE provider = ? AND event_id = ? AND state = 'dead' RETURNING provider, event_id),"
            + " d AS (UPDATE webhooks.dead_letter_queue q SET redriven_at = ? FROM r"
            + " WHERE q.provider = r.provider AND q.event_id = r.event_id AND q.redriven_at IS NULL)"
            + " SELECT count(*) FROM r";

    private static final String STATE = "SELECT state FROM webhooks.events WHERE provider = ? AND event_id = ?";

    /** Default {@linkplain #withTimeout(Duration) timeout} of the store's statements. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration timeout;
    private final EventsTable table;

    private PostgresIdempotencyStore(DataSource dataSource, Clock clock, Duration timeout, EventsTable table) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.timeout = timeout;
        this.table = table;
    }

    /**
     * A store on a data source, with the system UTC clock.
     *
     * @param dataSource a pool on the database holding the {@code webhooks} schema
     * @return the store
     */
    public static PostgresIdempotencyStore create(DataSource dataSource) {
        return create(dataSource, Clock.systemUTC());
    }

    /**
     * A store on a data source, with a clock.
     *
     * @param dataSource a pool on the database holding the {@code webhooks} schema
     * @param clock the clock for leases, retries and timestamps
     * @return the store
     */
    public static PostgresIdempotencyStore create(DataSource dataSource, Clock clock) {
        return new PostgresIdempotencyStore(Objects.requireNonNull(dataSource, "dataSource"),
                Objects.requireNonNull(clock, "clock"), DEFAULT_TIMEOUT, new EventsTable());
    }

    /**
     * The same store with another bound on how long each statement may wait for the database (default 5 s). It
     * holds for every connection the store and the pipelines built on it borrow, transactional handlers' own
     * statements included, and it holds when the database hangs rather than fails (a frozen host, a stalled
     * disk, a half-open connection): the driver gives up, the pool replaces the connection, and the delivery is
     * answered 503, so the provider retries, instead of a request thread waiting forever. It is the connection's
     * network timeout, put back as it was when the connection returns to the pool. The pool's own connection
     * timeout (HikariCP {@code connectionTimeout}, 30 s by default) bounds the wait for a connection: set it to a
     * few seconds too. {@link #purge(Instant)} is not bounded: a large purge may take longer.
     *
     * @param timeout positive
     * @return a new store
     */
    public PostgresIdempotencyStore withTimeout(Duration timeout) {
        return new PostgresIdempotencyStore(dataSource, clock, BorrowedConnection.requirePositive(timeout), table);
    }

    /** @return how long each statement may wait for the database */
    public Duration timeout() {
        return timeout;
    }

    /** A connection whose waits are bounded by {@link #timeout()}. */
    private BorrowedConnection borrow() throws SQLException {
        return BorrowedConnection.of(dataSource, timeout);
    }

    /** @return the data source this store uses; transactional handlers run on its connections */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the clock this store reads */
    public Clock clock() {
        return clock;
    }

    @Override
    public ClaimResult claim(String provider, String eventId, Duration lease) {
        StoreArguments.requireKey(provider, eventId);
        StoreArguments.requireLease(lease);
        try (BorrowedConnection c = borrow()) {
            return claim(c.connection(), true, provider, eventId, null, null, EventsTable.UNDATED, lease);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "claiming an event");
        }
    }

    /**
     * Claims an event and keeps its type and raw payload with it, so that operators see the type and a
     * re-driven dead letter can be processed by a {@link WebhookWorker} without a new delivery.
     *
     * @param event the verified event
     * @param lease how long the caller may hold the event
     * @return the claim
     */
    @Override
    public ClaimResult claim(WebhookEvent event, Duration lease) {
        Objects.requireNonNull(event, "event");
        StoreArguments.requireKey(event.provider(), event.id());
        StoreArguments.requireLease(lease);
        try (BorrowedConnection c = borrow()) {
            return claim(c.connection(), true, event.provider(), event.id(), event.type(), event.payloadBytes(),
                    EventsTable.dayOf(event.created()), lease);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "claiming an event");
        }
    }

    /**
     * Claims a parsed event on the caller's connection, keeping its type and payload; see
     * {@link #claim(Connection, String, String, Duration)}.
     *
     * @param connection the caller's connection; not closed
     * @param event the verified event
     * @param lease how long the claim is held
     * @return the claim
     * @throws SQLException when the statement fails
     */
    public ClaimResult claim(Connection connection, WebhookEvent event, Duration lease) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(event, "event");
        StoreArguments.requireKey(event.provider(), event.id());
        StoreArguments.requireLease(lease);
        return claim(connection, false, event.provider(), event.id(), event.type(), event.payloadBytes(),
                EventsTable.dayOf(event.created()), lease);
    }

    /**
     * Claims an event on the caller's connection, inside the caller's transaction if one is open: the
     * claim commits or rolls back with it, and a duplicate leaves the transaction usable (no error is
     * raised). While the transaction is open, other claimers of the same event wait for it to end.
     *
     * @param connection the caller's connection; not closed
     * @param provider the provider
     * @param eventId the event id
     * @param lease how long the claim is held
     * @return the claim
     * @throws SQLException when the statement fails (the caller owns the connection and its transaction)
     */
    public ClaimResult claim(Connection connection, String provider, String eventId, Duration lease)
            throws SQLException {
        Objects.requireNonNull(connection, "connection");
        StoreArguments.requireKey(provider, eventId);
        StoreArguments.requireLease(lease);
        return claim(connection, false, provider, eventId, null, null, EventsTable.UNDATED, lease);
    }

    /**
     * Claims on a connection of the store's own ({@code own}), or of the caller's, where a failure is not retried
     * (the caller's transaction is aborted): the shape of the table is learnt again and the caller's retry (the
     * provider's redelivery) succeeds.
     */
    private ClaimResult claim(Connection connection, boolean own, String provider, String eventId,
                              @Nullable String eventType, byte @Nullable [] payload, LocalDate day, Duration lease)
            throws SQLException {
        try {
            return claimOnce(connection, own, provider, eventId, eventType, payload, day, lease);
        } catch (SQLException e) {
            if (!EventsTable.shapeChanged(e)) {
                throw e;
            }
            table.forgetShape();
            if (!own) {
                throw e;
            }
            return claimOnce(connection, true, provider, eventId, eventType, payload, day, lease);
        }
    }

    private ClaimResult claimOnce(Connection connection, boolean own, String provider, String eventId,
                                  @Nullable String eventType, byte @Nullable [] payload, LocalDate day,
                                  Duration lease) throws SQLException {
        boolean partitioned = table.partitioned(connection);
        Instant now = clock.instant();
        UUID token = EventsTable.newLeaseToken(day);
        String sql = payload == null ? (partitioned ? CLAIM_KEY_PARTITIONED : CLAIM_KEY_SINGLE)
                : (partitioned ? CLAIM_PARTITIONED : CLAIM_SINGLE);
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setString(1, provider);
            s.setString(2, eventId);
            s.setObject(3, token);
            s.setObject(4, JdbcValues.utc(now.plus(lease)));
            s.setObject(5, JdbcValues.utc(now));
            s.setObject(6, JdbcValues.utc(now));
            s.setString(7, eventType);
            if (payload == null) {
                s.setBytes(8, null);
            } else {
                s.setBinaryStream(8, new ByteArrayInputStream(payload), payload.length); // no copy, as setBytes makes
            }
            s.setString(9, provider);
            s.setString(10, eventId);
            s.setObject(11, day);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("claim returned no row", "XX000");
                }
                EventState state = EventState.fromDatabaseValue(rs.getString(1));
                int attempts = rs.getInt(2);
                UUID held = rs.getObject(3, UUID.class);
                if (token.equals(held)) {
                    return new ClaimResult(ClaimResult.Status.NEW, provider, eventId, attempts, token);
                }
                ClaimResult.Status status = switch (state) {
                    case PROCESSED -> ClaimResult.Status.ALREADY_PROCESSED;
                    case DEAD -> ClaimResult.Status.DEAD;
                    default -> ClaimResult.Status.IN_PROGRESS;
                };
                return new ClaimResult(status, provider, eventId, attempts, null);
            }
        }
    }

    /**
     * Claims an event and records it {@code processed} in one statement, inside the caller's open
     * transaction: for handlers whose effects are written in that same transaction. Commit to make both
     * the effect and "processed" durable at once; roll back and neither happened (a redelivery then
     * processes the event). This saves the separate completion statement of
     * {@link #claim(Connection, WebhookEvent, Duration)} + {@link #complete(Connection, ClaimResult)}, and a
     * duplicate costs one statement that writes no new row version.
     *
     * <p>While the transaction is open, other claimers of the same event wait for it to end. The
     * connection must not be in auto-commit mode, and must be at isolation READ COMMITTED (the default).
     *
     * @param connection the caller's connection, in a transaction; not closed
     * @param event the verified event
     * @return {@code NEW} (with a token that only identifies this claim in memory: there is nothing to
     *     complete), or {@code ALREADY_PROCESSED}, {@code IN_PROGRESS}, {@code DEAD} without a token
     * @throws SQLException when the statement fails, or the connection is in auto-commit mode
     */
    public ClaimResult claimProcessed(Connection connection, WebhookEvent event) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(event, "event");
        StoreArguments.requireKey(event.provider(), event.id());
        if (connection.getAutoCommit()) {
            throw new SQLException("claimProcessed needs an open transaction: call setAutoCommit(false) first",
                    "25000");
        }
        LocalDate day = EventsTable.dayOf(event.created());
        boolean partitioned = table.partitioned(connection);
        OffsetDateTime now = JdbcValues.utc(clock.instant());
        try (PreparedStatement s = connection.prepareStatement(
                partitioned ? CLAIM_PROCESSED_PARTITIONED : CLAIM_PROCESSED_SINGLE)) {
            s.setString(1, event.provider());
            s.setString(2, event.id());
            s.setObject(3, now);
            s.setObject(4, now);
            s.setObject(5, now);
            s.setString(6, event.type());
            s.setString(8, event.provider());
            s.setString(9, event.id());
            s.setObject(10, day);
            if (!partitioned) {
                s.setString(11, event.provider());
                s.setString(12, event.id());
            }
            byte[] payload = event.payloadBytes();
            for (int attempt = 0; attempt < CLAIM_PROCESSED_TRIES; attempt++) {
                // streamed from the event's bytes (setBytes would copy them first); bound again for each try
                s.setBinaryStream(7, new ByteArrayInputStream(payload), payload.length);
                try (ResultSet rs = executeQuery(s)) {
                    if (rs.next()) {
                        if (partitioned) {
                            return claimedProcessed(event, rs.getInt(1));
                        }
                        String state = rs.getString(1);
                        return "claimed".equals(state)
                                ? claimedProcessed(event, rs.getInt(2))
                                : duplicate(event, state, rs.getInt(2));
                    }
                }
                if (partitioned) {
                    try (PreparedStatement read = connection.prepareStatement(CLAIM_STATE_IN_DAY)) {
                        read.setString(1, event.provider());
                        read.setString(2, event.id());
                        read.setObject(3, day);
                        try (ResultSet rs = read.executeQuery()) {
                            if (rs.next()) {
                                return duplicate(event, rs.getString(1), rs.getInt(2));
                            }
                        }
                    }
                }
                // the conflicting row committed after this statement's snapshot (or went meanwhile): look again
            }
        }
        throw new SQLException("claim of " + event.provider() + " event " + event.id() + " found neither a new nor "
                + "a visible row after " + CLAIM_PROCESSED_TRIES + " tries (is the transaction REPEATABLE READ?)",
                "40001");
    }

    /**
     * The partition a claim's row is in, when the table is partitioned and the lease token names it (tokens
     * handed out before the table was converted name none: their row is then found by key in every partition).
     */
    private Optional<LocalDate> dayOf(Connection connection, ClaimResult claim) throws SQLException {
        UUID token = Objects.requireNonNull(claim.leaseToken(), "leaseToken");
        return table.partitioned(connection) ? EventsTable.dayOf(token) : Optional.empty();
    }

    /** A claim that wrote its event {@code processed}. */
    private static ClaimResult claimedProcessed(WebhookEvent event, int attempts) {
        // nothing completes this claim: its token only tells it apart in memory, so no SecureRandom
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new ClaimResult(ClaimResult.Status.NEW, event.provider(), event.id(), attempts,
                new UUID(random.nextLong(), random.nextLong()));
    }

    /** A duplicate the transactional claim left as it was. */
    private static ClaimResult duplicate(WebhookEvent event, String state, int attempts) {
        ClaimResult.Status status = switch (EventState.fromDatabaseValue(state)) {
            case PROCESSED -> ClaimResult.Status.ALREADY_PROCESSED;
            case DEAD -> ClaimResult.Status.DEAD;
            default -> ClaimResult.Status.IN_PROGRESS;
        };
        return new ClaimResult(status, event.provider(), event.id(), attempts, null);
    }

    /** Runs a query; an ON CONFLICT key that no longer matches (the table was converted) is forgotten. */
    private ResultSet executeQuery(PreparedStatement s) throws SQLException {
        try {
            return s.executeQuery();
        } catch (SQLException e) {
            if (EventsTable.shapeChanged(e)) {
                table.forgetShape();
            }
            throw e;
        }
    }

    @Override
    public boolean complete(ClaimResult claim) {
        StoreArguments.requireNewClaim(claim);
        try (BorrowedConnection c = borrow()) {
            return complete(c.connection(), claim);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "completing an event");
        }
    }

    /**
     * Completes a claim on the caller's connection, inside the caller's transaction if one is open.
     *
     * @param connection the caller's connection; not closed
     * @param claim a {@code NEW} claim
     * @return {@code true} if marked processed; {@code false} if the lease is no longer current
     * @throws SQLException when the statement fails
     */
    public boolean complete(Connection connection, ClaimResult claim) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        StoreArguments.requireNewClaim(claim);
        Optional<LocalDate> day = dayOf(connection, claim);
        if (day.isPresent() && complete(connection, claim, day.get())) {
            return true;
        }
        // no row in the token's day: the lease was lost, or the row kept another day (claimed by key first)
        return complete(connection, claim, null);
    }

    private boolean complete(Connection connection, ClaimResult claim, @Nullable LocalDate day) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(day != null ? COMPLETE_IN_DAY : COMPLETE_BY_KEY)) {
            s.setObject(1, JdbcValues.utc(clock.instant()));
            s.setString(2, claim.provider());
            s.setString(3, claim.eventId());
            s.setObject(4, claim.leaseToken());
            if (day != null) {
                s.setObject(5, day);
            }
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public FailureOutcome fail(ClaimResult claim, String error, int maxAttempts, Instant retryAt) {
        StoreArguments.requireNewClaim(claim);
        try (BorrowedConnection c = borrow()) {
            return fail(c.connection(), claim, error, maxAttempts, retryAt);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "recording a failed attempt");
        }
    }

    /**
     * Records a failed attempt on the caller's connection, inside the caller's transaction if one is
     * open (roll the handler's work back to a savepoint first).
     *
     * @param connection the caller's connection; not closed
     * @param claim a {@code NEW} claim
     * @param error what went wrong, without payloads or secrets
     * @param maxAttempts attempts after which the event is dead-lettered
     * @param retryAt when the event may be claimed again
     * @return what became of the event
     * @throws SQLException when the statement fails
     */
    public FailureOutcome fail(Connection connection, ClaimResult claim, String error, int maxAttempts,
                               Instant retryAt) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        StoreArguments.requireNewClaim(claim);
        Objects.requireNonNull(error, "error");
        StoreArguments.requireMaxAttempts(maxAttempts);
        Objects.requireNonNull(retryAt, "retryAt");
        Optional<LocalDate> day = dayOf(connection, claim);
        if (day.isPresent()) {
            FailureOutcome outcome = fail(connection, claim, error, maxAttempts, retryAt, day.get());
            if (outcome != FailureOutcome.LEASE_LOST) {
                return outcome;
            }
        }
        // no row in the token's day: the lease was lost, or the row kept another day (claimed by key first)
        return fail(connection, claim, error, maxAttempts, retryAt, null);
    }

    private FailureOutcome fail(Connection connection, ClaimResult claim, String error, int maxAttempts,
                                Instant retryAt, @Nullable LocalDate day) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(day != null ? FAIL_IN_DAY : FAIL_BY_KEY)) {
            int i = 1;
            s.setInt(i++, maxAttempts);
            s.setString(i++, StoreArguments.truncateError(error));
            s.setObject(i++, JdbcValues.utc(retryAt));
            s.setString(i++, claim.provider());
            s.setString(i++, claim.eventId());
            s.setObject(i++, claim.leaseToken());
            if (day != null) {
                s.setObject(i++, day);
            }
            s.setObject(i, JdbcValues.utc(clock.instant()));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return FailureOutcome.LEASE_LOST;
                }
                return "dead".equals(rs.getString(1)) ? FailureOutcome.DEAD_LETTERED : FailureOutcome.RETRY_SCHEDULED;
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the table partitioned by day (every install since migration V3; {@code webhooks.partition_events()}
     * converts an older one), whole days go at once: the partition of a day before the cut-off's is dropped when
     * every row in it was processed before {@code olderThan}: {@code webhooks.detach_event_partition} detaches it
     * under a lock of {@code webhooks.events} held for milliseconds and waited for at most 100 ms, so claims do not
     * queue behind it (a day it could not lock is dropped by the next purge), and
     * {@code webhooks.drop_detached_event_partitions} drops it in a transaction of its own, under no lock of
     * {@code webhooks.events}. What remains (days still holding unfinished or dead events, days not over yet, the
     * default partition) is deleted row by row, as on the single table; rows of the days from two after the
     * cut-off's to the last one made ahead are left to a later purge (only a sender's clock more than a day ahead
     * puts an old processed row there). The partitions of today and the next {@value #DAYS_AHEAD} days are made
     * ahead.
     *
     * <p>Dropping and making partitions needs the role that owns {@code webhooks.events} (the one that ran the
     * migrations); run by another role, the purge deletes row by row and says so once in the log. Not bounded by
     * {@link #timeout()}: run it from a scheduled job (daily), not from a request.
     */
    @Override
    public int purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            boolean partitioned = table.partitioned(c);
            long removed = partitioned ? dropDays(c, olderThan) : 0;
            try (PreparedStatement s = c.prepareStatement(partitioned ? PURGE_PARTITIONED : PURGE)) {
                s.setObject(1, JdbcValues.utc(olderThan));
                if (partitioned) {
                    s.setObject(2, LocalDate.ofInstant(olderThan, ZoneOffset.UTC).plusDays(2));
                    s.setObject(3, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(DAYS_AHEAD + 1L));
                }
                removed += s.executeUpdate();
            }
            if (partitioned) {
                prepareDays(c);
            }
            return (int) Math.min(Integer.MAX_VALUE, removed);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "purging processed events");
        }
    }

    private void prepareDays(Connection c) throws SQLException {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (int i = 0; i <= DAYS_AHEAD; i++) {
            try {
                EventsTable.ensurePartition(c, today.plusDays(i));
            } catch (SQLException e) {
                if (!maintenanceRefused(e)) {
                    throw e;
                }
                return;
            }
        }
    }

    private long dropDays(Connection c, Instant olderThan) throws SQLException {
        LocalDate cutoffDay = LocalDate.ofInstant(olderThan, ZoneOffset.UTC);
        List<LocalDate> days = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(PARTITION_DAYS); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                LocalDate day = rs.getObject(1, LocalDate.class);
                if (day != null && day.isBefore(cutoffDay)) {
                    days.add(day);
                }
            }
        }
        long dropped = 0;
        for (LocalDate day : days) {
            try (PreparedStatement s = c.prepareStatement(DAY_DROPPABLE)) {
                s.setObject(1, day);
                s.setObject(2, day);
                s.setObject(3, JdbcValues.utc(olderThan));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        continue; // unfinished, dead or recently processed rows: deleted row by row instead
                    }
                }
            }
            long rows = countDay(c, day);
            try (PreparedStatement s = c.prepareStatement(DETACH_DAY)) {
                s.setObject(1, day);
                s.setObject(2, JdbcValues.utc(olderThan));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        continue;
                    }
                }
                dropped += rows; // committed: the day is out of webhooks.events; its table is dropped below

            } catch (SQLException e) {
                if (!maintenanceRefused(e)) {
                    throw e;
                }
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return dropped; // not the owner: every other day would be refused too
                }
            }
        }
        // in a transaction of its own, under no lock of webhooks.events; also what a crash left detached
        try (PreparedStatement drop = c.prepareStatement(DROP_DETACHED)) {
            drop.executeQuery().close();
        } catch (SQLException e) {
            if (!maintenanceRefused(e)) {
                throw e;
            }
        }
        return dropped;
    }

    /**
     * The rows of a day about to be dropped, for {@link #purge(Instant)}'s count: one sequential read of the
     * partition, kept to one process ({@code max_parallel_workers_per_gather = 0} for this transaction only).
     */
    private static long countDay(Connection c, LocalDate day) throws SQLException {
        c.setAutoCommit(false);
        try (Statement serial = c.createStatement(); PreparedStatement s = c.prepareStatement(DAY_ROWS)) {
            serial.execute("SET LOCAL max_parallel_workers_per_gather = 0");
            s.setObject(1, day);
            long rows;
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                rows = rs.getLong(1);
            }
            c.commit();
            return rows;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Whether partition maintenance was refused in a way that leaves row-by-row deletion to do the work: the lock
     * was not free within its wait (the next purge tries again), or the role does not own the table (said once).
     */
    private boolean maintenanceRefused(SQLException e) {
        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            return true;
        }
        if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            return false;
        }
        if (NOT_OWNER_SAID.compareAndSet(false, true)) {
            LOG.warn("webhooks.events retention deletes row by row: this role does not own webhooks.events, so it"
                    + " cannot drop or make day partitions; run PostgresIdempotencyStore.purge with the owner's"
                    + " DataSource (the role that ran the migrations) to drop whole days");
        }
        return true;
    }

    @Override
    public List<DeadLetter> deadLetters(int limit) {
        StoreArguments.requireLimit(limit);
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(DEAD_LETTERS)) {
            s.setInt(1, limit);
            List<DeadLetter> list = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    list.add(new DeadLetter(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
            return List.copyOf(list);
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "listing dead letters");
        }
    }

    @Override
    public boolean redrive(String provider, String eventId) {
        StoreArguments.requireKey(provider, eventId);
        Instant now = clock.instant();
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(REDRIVE)) {
            s.setObject(1, JdbcValues.utc(now));
            s.setString(2, provider);
            s.setString(3, eventId);
            s.setObject(4, JdbcValues.utc(now));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getLong(1) == 1;
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "re-driving a dead letter");
        }
    }

    @Override
    public Optional<EventState> state(String provider, String eventId) {
        StoreArguments.requireKey(provider, eventId);
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(STATE)) {
            s.setString(1, provider);
            s.setString(2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(EventState.fromDatabaseValue(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "reading an event's state");
        }
    }

    /** @return what the store knows of the shape of {@code webhooks.events}, shared with its queue */
    EventsTable eventsTable() {
        return table;
    }

    @Override
    public String toString() {
        return "PostgresIdempotencyStore[" + dataSource.getClass().getSimpleName() + ", timeout " + timeout + "]";
    }
}
