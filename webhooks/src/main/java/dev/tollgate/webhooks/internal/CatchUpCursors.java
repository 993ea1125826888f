package dev.tollgate.webhooks.internal;

import dev.tollgate.internal.BorrowedConnection;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.webhooks.CatchUpCursor;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Reads and writes {@code webhooks.catch_up_cursors} (migration {@code V5__catch_up_cursors.sql}). */
public final class CatchUpCursors {

    private static final String FIND = "SELECT provider, window_from, window_until, resume_after, caught_up_until,"
            + " updated_at FROM webhooks.catch_up_cursors WHERE provider = ?";
    private static final String START = "INSERT INTO webhooks.catch_up_cursors"
            + " (provider, window_from, window_until, resume_after, caught_up_until, updated_at)"
            + " VALUES (?, ?, ?, NULL, NULL, ?) ON CONFLICT (provider) DO UPDATE SET window_from = EXCLUDED.window_from,"
            + " window_until = EXCLUDED.window_until, resume_after = NULL, updated_at = EXCLUDED.updated_at";
    private static final String PROGRESS = "UPDATE webhooks.catch_up_cursors SET resume_after = ?, updated_at = ?"
            + " WHERE provider = ?";
    private static final String FINISH = "UPDATE webhooks.catch_up_cursors SET resume_after = NULL,"
            + " caught_up_until = GREATEST(caught_up_until, window_until), updated_at = ? WHERE provider = ?";
    private static final String NEWEST_PROCESSED = "SELECT processed_at FROM webhooks.events"
            + " WHERE state = 'processed' AND provider = ? ORDER BY processed_at DESC LIMIT 1";

    private final DataSource dataSource;

    /**
     * @param dataSource the database holding the {@code webhooks} schema (migrations V1 to V5)
     */
    public CatchUpCursors(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param provider the provider name
     * @return its cursor, if a catch-up ever started
     */
    public Optional<CatchUpCursor> find(String provider) {
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(FIND)) {
            s.setString(1, provider);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CatchUpCursor(rs.getString(1), instant(rs, 2), instant(rs, 3),
                        rs.getString(4), nullableInstant(rs, 5), instant(rs, 6)));
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "reading the catch-up cursor");
        }
    }

    /**
     * Starts a run: a new window, nothing handled in it yet; {@code caught_up_until} is kept.
     *
     * @param provider the provider name
     * @param from the window's start
     * @param until the window's end
     * @param now the time of the change
     */
    public void start(String provider, Instant from, Instant until, Instant now) {
        update(START, "starting a catch-up", s -> {
            s.setString(1, provider);
            s.setObject(2, JdbcValues.utc(from));
            s.setObject(3, JdbcValues.utc(until));
            s.setObject(4, JdbcValues.utc(now));
        });
    }

    /**
     * Records the last event handled by the running run.
     *
     * @param provider the provider name
     * @param eventId the event
     * @param now the time of the change
     */
    public void progress(String provider, String eventId, Instant now) {
        update(PROGRESS, "recording catch-up progress", s -> {
            s.setString(1, eventId);
            s.setObject(2, JdbcValues.utc(now));
            s.setString(3, provider);
        });
    }

    /**
     * Finishes the running run: its window's end becomes the caught-up time.
     *
     * @param provider the provider name
     * @param now the time of the change
     */
    public void finish(String provider, Instant now) {
        update(FINISH, "finishing a catch-up", s -> {
            s.setObject(1, JdbcValues.utc(now));
            s.setString(2, provider);
        });
    }

    /**
     * @param provider the provider name
     * @return when its newest processed event was processed, if any
     */
    public Optional<Instant> newestProcessed(String provider) {
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(NEWEST_PROCESSED)) {
            s.setString(1, provider);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(nullableInstant(rs, 1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "finding the newest processed event");
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void update(String sql, String what, Binder binder) {
        try (BorrowedConnection c = borrow(); PreparedStatement s = c.connection().prepareStatement(sql)) {
            binder.bind(s);
            s.executeUpdate();
        } catch (SQLException e) {
            throw SqlFailures.translate(e, what);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private BorrowedConnection borrow() throws SQLException {
        return BorrowedConnection.of(dataSource, PostgresIdempotencyStore.DEFAULT_TIMEOUT);
    }
}
