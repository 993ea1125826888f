package dev.tollgate.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * A connection borrowed from the application's pool for Tollgate's own statements, whose every wait on the
 * database is bounded: its network (socket read) timeout is set for as long as Tollgate holds it and put back
 * as it was on {@link #close()}, so the application's own use of the pooled connection is untouched.
 *
 * <p>A query timeout ({@code Statement.setQueryTimeout}) is not enough: against a database that hangs (a frozen
 * host, a stalled disk, a half-open TCP connection) the driver's cancel request is not answered either, and the
 * thread waits forever. The network timeout makes the driver give up and close the connection, which the pool
 * then replaces; the caller answers 503 instead of holding a request thread.
 *
 * <pre>{@code
 * try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, timeout);
 *      PreparedStatement s = borrowed.connection().prepareStatement(SQL)) { … }
 * }</pre>
 */
public final class BorrowedConnection implements AutoCloseable {

    /** The driver only records the timeout; nothing runs on this executor. */
    private static final Executor DIRECT = Runnable::run;

    private final Connection connection;
    private final int previousMillis;

    private BorrowedConnection(Connection connection, int previousMillis) {
        this.connection = connection;
        this.previousMillis = previousMillis;
    }

    /**
     * Borrows a connection and bounds its waits.
     *
     * @param dataSource the pool
     * @param timeout the longest a statement may wait for the database, positive
     * @return the borrowed connection; close it to give it back
     * @throws SQLException if no connection can be had (the pool's own connection timeout applies)
     */
    public static BorrowedConnection of(DataSource dataSource, Duration timeout) throws SQLException {
        int millis = millis(requirePositive(timeout));
        Connection connection = dataSource.getConnection();
        int previous;
        try {
            previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(DIRECT, millis);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new BorrowedConnection(connection, previous);
    }

    /** @return the connection, for this borrower's statements only */
    public Connection connection() {
        return connection;
    }

    /** Puts the network timeout back (unless the connection broke) and returns the connection to the pool. */
    @Override
    public void close() throws SQLException {
        try {
            if (!connection.isClosed()) {
                connection.setNetworkTimeout(DIRECT, previousMillis);
            }
        } catch (SQLException e) {
            // a connection that timed out is broken: the pool discards it, nothing to put back
        } finally {
            connection.close();
        }
    }

    /**
     * Checks a timeout the way every Tollgate class that borrows connections does.
     *
     * @param timeout the timeout
     * @return the same timeout
     * @throws IllegalArgumentException unless it is positive
     */
    public static Duration requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
        return timeout;
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }
}
