package dev.tollgate.health.preflight;

/** The verdict of one preflight step. */
public enum PreflightStatus {
    /** The step found what a go-live needs. */
    PASS,
    /** Not blocking, but look at it before going live. */
    WARN,
    /** Blocks the go-live. */
    FAIL
}
