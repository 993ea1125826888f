package dev.tollgate.webhooks;

import java.util.Locale;

/** The state of an event in an {@link IdempotencyStore}, as stored in {@code webhooks.events.state}. */
public enum EventState {
    /** Stored by the asynchronous intake, waiting for a worker. */
    PENDING,
    /** Claimed by a worker whose lease has not been completed or failed yet. */
    PROCESSING,
    /** Handled; never handled again. */
    PROCESSED,
    /** The last attempt failed; it will be claimed again when its retry is due. */
    FAILED,
    /** Gave up after the maximum number of attempts; see the dead-letter queue. */
    DEAD;

    /** @return the lower-case name stored in the database, such as {@code processing} */
    public String databaseValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a stored value.
     *
     * @param value a lower-case state name
     * @return the state
     * @throws IllegalArgumentException for an unknown value
     */
    public static EventState fromDatabaseValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
