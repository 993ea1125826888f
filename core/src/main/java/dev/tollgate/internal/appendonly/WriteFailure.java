package dev.tollgate.internal.appendonly;

import org.jspecify.annotations.Nullable;

/**
 * Tells a write the database refused because of a value (too long, not valid text, a check or constraint) from a
 * database that could not be reached or refused the statement, and words both messages. The messages name the
 * operation and the SQL state only: the driver's detail may quote the failing row, which holds personal data, so
 * a refused value's exception carries no cause.
 */
public final class WriteFailure {

    /** Which integrity violations (SQL state class 23) count as a refused value. */
    public enum IntegrityViolations {
        /** Every integrity violation, unique violations included. */
        ALL,
        /** Only check ({@code 23514}) and not-null ({@code 23502}) violations. */
        CHECK_AND_NOT_NULL
    }

    private WriteFailure() {
    }

    /**
     * Whether a failure is a refused value rather than a storage failure: a string too long ({@code 22001}), a
     * null character ({@code 22021}), an untranslatable character ({@code 22P05}), or an integrity violation
     * as {@code violations} says.
     *
     * @param sqlState the failure's SQL state, or {@code null} when the driver gave none
     * @param violations which integrity violations count
     * @return whether the value was refused
     */
    public static boolean isRefusedValue(@Nullable String sqlState, IntegrityViolations violations) {
        if (sqlState == null) {
            return false;
        }
        if (sqlState.equals("22001") || sqlState.equals("22021") || sqlState.equals("22P05")) {
            return true;
        }
        return switch (violations) {
            case ALL -> sqlState.startsWith("23");
            case CHECK_AND_NOT_NULL -> sqlState.equals("23514") || sqlState.equals("23502");
        };
    }

    /**
     * The message of a refused value.
     *
     * @param what the operation, such as {@code record acceptances}
     * @param sqlState the failure's SQL state
     * @return the message
     */
    public static String refusedValueMessage(String what, @Nullable String sqlState) {
        return "the database refused to " + what + ": a value is out of range (SQL state " + sqlState + ")";
    }

    /**
     * The message of a storage failure.
     *
     * @param what the operation, such as {@code read acceptances}
     * @param sqlState the failure's SQL state, or {@code null}
     * @return the message
     */
    public static String storageFailureMessage(String what, @Nullable String sqlState) {
        return "could not " + what + " (SQL state " + sqlState + "): check the database connection and migrations";
    }
}
