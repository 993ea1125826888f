package dev.tollgate.webhooks;

/** What {@link WebhookEvents#replay} did with an event. */
public enum ReplayOutcome {
    /** The event was put back to pending for the worker, and the replay was recorded. */
    REPLAYED,
    /** No event has that provider and id. */
    NOT_FOUND,
    /** The event is not processed (it is pending, processing, failed or dead): re-drive dead ones instead. */
    NOT_PROCESSED,
    /** The event was processed synchronously and its payload is not stored, so no worker can run it again. */
    NO_PAYLOAD
}
