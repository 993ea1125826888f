package dev.tollgate.webhooks;

/** What {@link IdempotencyStore#fail} did with a failed attempt. */
public enum FailureOutcome {
    /** The event is {@code failed} and may be claimed again once its retry time has come. */
    RETRY_SCHEDULED,
    /** The event reached the maximum number of attempts: it is {@code dead} and has a dead-letter row. */
    DEAD_LETTERED,
    /**
     * Nothing changed: the caller's lease is no longer current (it expired and another worker claimed
     * the event, or the event was completed).
     */
    LEASE_LOST
}
