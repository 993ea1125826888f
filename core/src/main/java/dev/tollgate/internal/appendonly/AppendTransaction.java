package dev.tollgate.internal.appendonly;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs an append to a chained, append-only table as one transaction at READ COMMITTED: the chain trigger (or
 * {@code JdbcChain.lockNext}) reads the chain head after taking its advisory lock, which needs a fresh snapshot per
 * statement. The connection's auto-commit and isolation are put back afterwards, whatever happens, so a pooled
 * connection returns as it was lent.
 */
public final class AppendTransaction {

    /**
     * The statements of one append.
     *
     * @param <T> what the append returns
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Runs the statements.
         *
         * @param connection the connection, inside the transaction
         * @return the result, returned once the transaction has committed
         * @throws SQLException when a statement fails; the transaction is rolled back
         */
        T run(Connection connection) throws SQLException;
    }

    private AppendTransaction() {
    }

    /**
     * Runs {@code work} in a transaction at READ COMMITTED and commits it; rolls back and rethrows when the work
     * throws an {@link SQLException} or a {@link RuntimeException}.
     *
     * @param connection an open connection
     * @param work the statements of the append
     * @param <T> what the append returns
     * @return what {@code work} returned
     * @throws SQLException when a statement, the commit or the rollback fails
     */
    public static <T> T inReadCommitted(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
            connection.setTransactionIsolation(isolation);
        }
    }
}
