package dev.tollgate.health.metrics;

/** The kind of a Micrometer meter, which decides its Prometheus series names. */
public enum MeterType {
    /** A counter: Prometheus {@code <name>_total}. */
    COUNTER,
    /** A timer: Prometheus {@code <name>_seconds_count}, {@code _sum}, {@code _max}, {@code _bucket}. */
    TIMER,
    /** A gauge: Prometheus {@code <name>}. */
    GAUGE
}
