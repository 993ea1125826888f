package dev.tollgate.benchmarks.standin;

/** What a stand-in claim+complete did with an event. */
public enum ClaimOutcome {
    /** The event was new (or retryable): claimed, handled and marked processed. */
    PROCESSED,
    /** The event was already processed, or is in flight elsewhere: nothing done. */
    SKIPPED
}
