package dev.tollgate.benchmarks.report;

/** Which number of a JMH result a benchmark name stands for. */
public enum Statistic {
    /** The primary score (mean time per op, or throughput). */
    SCORE,
    /** The median of a sample-time distribution. */
    P50,
    /** The 99th percentile of a sample-time distribution. */
    P99,
    /** JMH gc profiler's bytes allocated per operation ({@code gc.alloc.rate.norm}). */
    ALLOCATED_BYTES_PER_OP
}
