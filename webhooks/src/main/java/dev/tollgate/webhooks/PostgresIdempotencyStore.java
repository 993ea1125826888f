package dev.tollgate.webhooks;

import dev.tollgate.internal.BorrowedConnection;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.webhooks.internal.SqlFailures;
import dev.tollgate.webhooks.internal.StoreArguments;
import java.sql.Connection;
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
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

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

    private static final String CLAIM = "INSERT INTO webhooks.events AS e"
            + " (provider, event_id, state, attempts, lease_token, lease_until, next_attempt_at, received_at,"
            + " event_type, payload)"
            + " VALUES (?, ?, 'processing', 1, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (provider, event_id) DO UPDATE SET"
            + " event_type = COALESCE(e.event_type, EXCLUDED.event_type),"
            + " payload = COALESCE(e.payload, EXCLUDED.payload),"
            + " state = CASE WHEN " + CLAIMABLE + " THEN 'processing' ELSE e.state END,"
            + " attempts = CASE WHEN " + CLAIMABLE + " THEN e.attempts + 1 ELSE e.attempts END,"
            + " lease_token = CASE WHEN " + CLAIMABLE + " THEN EXCLUDED.lease_token ELSE e.lease_token END,"
            + " lease_until = CASE WHEN " + CLAIMABLE + " THEN EXCLUDED.lease_until ELSE e.lease_until END"
            + " RETURNING e.state, e.attempts, e.lease_token";

    /**
     * Claim and completion in one statement, for handlers whose effects commit in the same transaction:
     * a new or re-claimable event is written {@code processed} at once (the caller's rollback undoes it).
     * A duplicate is not rewritten (the conflict's WHERE is false, so the row is only locked) and its
     * state is read back in the same statement; when the conflicting row was committed after this
     * statement's snapshot, neither branch returns a row and the statement is run again.
     */
    private static final String CLAIM_PROCESSED = "WITH claimed AS ("
            + " INSERT INTO webhooks.events AS e"
            + " (provider, event_id, state, attempts, next_attempt_at, received_at, processed_at, event_type, payload)"
            + " VALUES (?, ?, 'processed', 1, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (provider, event_id) DO UPDATE SET"
            + " event_type = COALESCE(e.event_type, EXCLUDED.event_type),"
            + " payload = COALESCE(e.payload, EXCLUDED.payload),"
            + " state = 'processed', attempts = e.attempts + 1, processed_at = EXCLUDED.processed_at,"
            + " last_error = NULL, lease_token = NULL, lease_until = NULL"
            + " WHERE " + CLAIMABLE
            + " RETURNING e.attempts)"
            + " SELECT 'claimed', attempts FROM claimed"
            + " UNION ALL"
            + " SELECT state, attempts FROM webhooks.events"
            + " WHERE provider = ? AND event_id = ? AND NOT EXISTS (SELECT 1 FROM claimed)";

    private static final int CLAIM_PROCESSED_TRIES = 5;

    private static final String COMPLETE = "UPDATE webhooks.events SET state = 'processed', processed_at = ?,"
            + " lease_token = NULL, lease_until = NULL, last_error = NULL"
            + " WHERE provider = ? AND event_id = ? AND state = 'processing' AND lease_token = ?";

    private static final String FAIL = "WITH f AS ("
            + " UPDATE webhooks.events SET state = CASE WHEN attempts >= ? THEN 'dead' ELSE 'failed' END,"
            + " last_error = ?, next_attempt_at = ?, lease_token = NULL, lease_until = NULL"
            + " WHERE provider = ? AND event_id = ? AND state = 'processing' AND lease_token = ?"
            + " RETURNING provider, event_id, event_type, attempts, state, last_error),"
            + " d AS (INSERT INTO webhooks.dead_letter_queue (provider, event_id, event_type, attempts, last_error, dead_at)"
            + " SELECT provider, event_id, event_type, attempts, last_error, ? FROM f WHERE state = 'dead')"
            + " SELECT state FROM f";

    private static final String PURGE = "DELETE FROM webhooks.events WHERE state = 'processed' AND processed_at < ?";

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

    private PostgresIdempotencyStore(DataSource dataSource, Clock clock, Duration timeout) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.timeout = timeout;
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
                Objects.requireNonNull(clock, "clock"), DEFAULT_TIMEOUT);
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
        return new PostgresIdempotencyStore(dataSource, clock, BorrowedConnection.requirePositive(timeout));
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
            return claim(c.connection(), provider, eventId, null, null, lease);
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
            return claim(c.connection(), event.provider(), event.id(), event.type(), event.payload(), lease);
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
        return claim(connection, event.provider(), event.id(), event.type(), event.payload(), lease);
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
        return claim(connection, provider, eventId, null, null, lease);
    }

    private ClaimResult claim(Connection connection, String provider, String eventId, @Nullable String eventType,
                              byte @Nullable [] payload, Duration lease) throws SQLException {
        Instant now = clock.instant();
        UUID token = UUID.randomUUID();
        try (PreparedStatement s = connection.prepareStatement(CLAIM)) {
            s.setString(1, provider);
            s.setString(2, eventId);
            s.setObject(3, token);
            s.setObject(4, JdbcValues.utc(now.plus(lease)));
            s.setObject(5, JdbcValues.utc(now));
            s.setObject(6, JdbcValues.utc(now));
            s.setString(7, eventType);
            s.setBytes(8, payload);
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
        Instant now = clock.instant();
        try (PreparedStatement s = connection.prepareStatement(CLAIM_PROCESSED)) {
            s.setString(1, event.provider());
            s.setString(2, event.id());
            s.setObject(3, JdbcValues.utc(now));
            s.setObject(4, JdbcValues.utc(now));
            s.setObject(5, JdbcValues.utc(now));
            s.setString(6, event.type());
            s.setBytes(7, event.payload());
            s.setString(8, event.provider());
            s.setString(9, event.id());
            for (int attempt = 0; attempt < CLAIM_PROCESSED_TRIES; attempt++) {
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        continue; // the conflicting row committed after this statement's snapshot: look again
                    }
                    String state = rs.getString(1);
                    int attempts = rs.getInt(2);
                    if ("claimed".equals(state)) {
                        return new ClaimResult(ClaimResult.Status.NEW, event.provider(), event.id(), attempts,
                                UUID.randomUUID());
                    }
                    ClaimResult.Status status = switch (EventState.fromDatabaseValue(state)) {
                        case PROCESSED -> ClaimResult.Status.ALREADY_PROCESSED;
                        case DEAD -> ClaimResult.Status.DEAD;
                        default -> ClaimResult.Status.IN_PROGRESS;
                    };
                    return new ClaimResult(status, event.provider(), event.id(), attempts, null);
                }
            }
        }
        throw new SQLException("claim of " + event.provider() + " event " + event.id() + " found neither a new nor "
                + "a visible row after " + CLAIM_PROCESSED_TRIES + " tries (is the transaction REPEATABLE READ?)",
                "40001");
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
        try (PreparedStatement s = connection.prepareStatement(COMPLETE)) {
            s.setObject(1, JdbcValues.utc(clock.instant()));
            s.setString(2, claim.provider());
            s.setString(3, claim.eventId());
            s.setObject(4, claim.leaseToken());
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
        try (PreparedStatement s = connection.prepareStatement(FAIL)) {
            s.setInt(1, maxAttempts);
            s.setString(2, StoreArguments.truncateError(error));
            s.setObject(3, JdbcValues.utc(retryAt));
            s.setString(4, claim.provider());
            s.setString(5, claim.eventId());
            s.setObject(6, claim.leaseToken());
            s.setObject(7, JdbcValues.utc(clock.instant()));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return FailureOutcome.LEASE_LOST;
                }
                return "dead".equals(rs.getString(1)) ? FailureOutcome.DEAD_LETTERED : FailureOutcome.RETRY_SCHEDULED;
            }
        }
    }

    @Override
    public int purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PURGE)) {
            s.setObject(1, JdbcValues.utc(olderThan));
            return s.executeUpdate();
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "purging processed events");
        }
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

    @Override
    public String toString() {
        return "PostgresIdempotencyStore[" + dataSource.getClass().getSimpleName() + ", timeout " + timeout + "]";
    }
}
