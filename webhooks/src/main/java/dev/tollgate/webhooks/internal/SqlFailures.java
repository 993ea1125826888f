package dev.tollgate.webhooks.internal;

import dev.tollgate.internal.PoolerDiagnosis;
import dev.tollgate.webhooks.IdempotencyStoreException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/** Turns JDBC failures into {@link IdempotencyStoreException}s that say what to do, without data values. */
public final class SqlFailures {

    private SqlFailures() {
    }

    /**
     * Translates a failure.
     *
     * @param e the JDBC failure
     * @param what what the store was doing, such as {@code "claiming an event"}
     * @return the exception to throw
     */
    public static IdempotencyStoreException translate(SQLException e, String what) {
        String state = e.getSQLState();
        Optional<String> pooler = PoolerDiagnosis.explain(e);
        if (pooler.isPresent()) {
            return new IdempotencyStoreException(IdempotencyStoreException.Reason.STATEMENT_FAILED,
                    "a statement failed while " + what + " (SQLState " + state + "): " + pooler.get(), e);
        }
        boolean unreachable = e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")));
        if (unreachable) {
            return new IdempotencyStoreException(IdempotencyStoreException.Reason.UNAVAILABLE,
                    "PostgreSQL could not be reached while " + what + " (SQLState " + state
                            + "): check that the database is up and the pool can connect; the provider will retry",
                    e);
        }
        return new IdempotencyStoreException(IdempotencyStoreException.Reason.STATEMENT_FAILED,
                "a statement failed while " + what + " (SQLState " + state + ": " + firstLine(e.getMessage())
                        + "); check that the webhooks migrations ran (SchemaMigrator.forModules(\"webhooks\"))",
                e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
