package dev.tollgate.benchmarks.standin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Stand-in for Tollgate's PostgreSQL idempotency store in the pipeline's transactional mode: in one
 * transaction, {@code INSERT … ON CONFLICT … DO UPDATE … RETURNING} claims the event (new, failed, or
 * with an expired lease), the handler runs, and {@code UPDATE … SET state='processed'} completes it. This
 * is the naive BEGIN/INSERT/UPDATE/COMMIT (three round trips for a new event) that the issue says
 * measures about 0.5 of pgbench. To be replaced by Tollgate's {@code PostgresIdempotencyStore} once merged.
 */
public final class StandInEventStore {

    /** The stand-in table, shaped as DESIGN.md describes {@code webhooks.events}. */
    public static final String SCHEMA_DDL = """
            CREATE SCHEMA IF NOT EXISTS webhooks;
            CREATE TABLE IF NOT EXISTS webhooks.events (
                provider     text        NOT NULL,
                event_id     text        NOT NULL,
                type         text        NOT NULL,
                state        text        NOT NULL CHECK (state IN ('processing', 'processed', 'failed', 'dead')),
                attempts     integer     NOT NULL DEFAULT 1,
                lease_until  timestamptz,
                received_at  timestamptz NOT NULL DEFAULT now(),
                processed_at timestamptz,
                last_error   text,
                payload      text,
                PRIMARY KEY (provider, event_id)
            );
            CREATE INDEX IF NOT EXISTS events_received_at_idx ON webhooks.events (received_at);
            """;

    private static final String CLAIM = """
            INSERT INTO webhooks.events AS e (provider, event_id, type, state, attempts, lease_until, received_at, payload)
            VALUES (?, ?, ?, 'processing', 1, now() + interval '5 minutes', now(), ?)
            ON CONFLICT (provider, event_id) DO UPDATE
               SET state = 'processing', attempts = e.attempts + 1, lease_until = now() + interval '5 minutes'
             WHERE e.state = 'failed' OR (e.state = 'processing' AND e.lease_until < now())
            RETURNING e.attempts""";

    private static final String COMPLETE = """
            UPDATE webhooks.events SET state = 'processed', processed_at = now(), lease_until = NULL
             WHERE provider = ? AND event_id = ?""";

    private final DataSource dataSource;

    /**
     * @param dataSource the database holding {@code webhooks.events}
     */
    public StandInEventStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Creates the stand-in {@code webhooks.events} table if absent.
     *
     * @param dataSource the database
     */
    public static void createSchema(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(SCHEMA_DDL);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create webhooks.events: " + e.getMessage(), e);
        }
    }

    /**
     * Claims an event, runs the handler and marks the event processed, all in one transaction.
     *
     * @param provider the provider, such as {@code stripe}
     * @param eventId the provider's event id
     * @param type the event type
     * @param payload the raw body to store
     * @param handler the effect, run inside the transaction only when the claim succeeds
     * @return {@link ClaimOutcome#PROCESSED}, or {@link ClaimOutcome#SKIPPED} for a duplicate or an event in
     *     flight elsewhere
     */
    public ClaimOutcome claimAndComplete(String provider, String eventId, String type, String payload,
                                         Runnable handler) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean claimed;
                try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                    claim.setString(1, provider);
                    claim.setString(2, eventId);
                    claim.setString(3, type);
                    claim.setString(4, payload);
                    try (ResultSet rs = claim.executeQuery()) {
                        claimed = rs.next();
                    }
                }
                if (!claimed) {
                    c.rollback();
                    return ClaimOutcome.SKIPPED;
                }
                handler.run();
                try (PreparedStatement complete = c.prepareStatement(COMPLETE)) {
                    complete.setString(1, provider);
                    complete.setString(2, eventId);
                    complete.executeUpdate();
                }
                c.commit();
                return ClaimOutcome.PROCESSED;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("claim of " + provider + "/" + eventId + " failed: " + e.getMessage(), e);
        }
    }
}
