package dev.tollgate.billing;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a {@link PostgresBillingListener} receives change notifications, for health output.
 *
 * @param state the state
 * @param detail what it means or what went wrong (no secrets)
 * @param since when it entered the state
 */
public record ListenerStatus(State state, String detail, Instant since) {

    /** The listener's state. */
    public enum State {
        /** Not started yet. */
        NOT_STARTED,
        /** Connecting (or reconnecting after a dropped connection); caches rely on their TTL meanwhile. */
        CONNECTING,
        /** {@code LISTEN} works: changes reach the caches within a second. */
        LISTENING,
        /**
         * {@code LISTEN} cannot work (transaction-mode pooler such as PgBouncer, detected or configured):
         * caches rely on their TTL only.
         */
        TTL_ONLY,
        /** Closed. */
        STOPPED
    }

    /**
     * Validates the fields.
     *
     * @param state the state
     * @param detail what it means or what went wrong (no secrets)
     * @param since when it entered the state
     */
    public ListenerStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(since, "since");
    }

    /**
     * Whether notifications are being received.
     *
     * @return true when {@link State#LISTENING}
     */
    public boolean listening() {
        return state == State.LISTENING;
    }
}
