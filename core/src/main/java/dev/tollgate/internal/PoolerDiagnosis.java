package dev.tollgate.internal;

import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the failures of server-side prepared statements behind a transaction-mode pooler (PgBouncer before
 * 1.21, or without {@code max_prepared_statements}): the driver names a statement on one server connection and
 * the pooler runs the next transaction on another ({@code prepared statement "S_3" does not exist},
 * {@code … already exists}, {@code bind message supplies 0 parameters, but prepared statement "S_6" requires 9}).
 * They look like a broken database; the fix is one JDBC URL parameter.
 */
public final class PoolerDiagnosis {

    /** The fix, as the messages say it. */
    public static final String FIX = "the connection goes through a transaction-mode pooler (PgBouncer?) that"
            + " mixes up the driver's named prepared statements: add prepareThreshold=0 to the JDBC URL (or use"
            + " PgBouncer 1.21+ with max_prepared_statements)";

    private static final Pattern NAMED_STATEMENT = Pattern.compile("prepared statement \"S_\\d+\"");

    private PoolerDiagnosis() {
    }

    /**
     * @param e a failure, with its causes
     * @return {@link #FIX} when the failure is a pooled prepared statement's, else empty
     */
    public static Optional<String> explain(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && NAMED_STATEMENT.matcher(message).find()) {
                return Optional.of(FIX);
            }
        }
        return Optional.empty();
    }
}
