package dev.tollgate.benchmarks.report;

import java.util.Objects;

/**
 * A ratio of {@code latest.json} that has no goal but says why a goal is met or missed: a Tollgate figure
 * against a control measured in the same run (such as plain JDBC doing pgbench's statement), or a reference
 * against such a control.
 *
 * @param name the ratio's name, such as {@code jdbc_transaction_over_pgbench}
 * @param numerator the figure divided
 * @param denominator the figure divided by
 * @param note what the ratio tells, one sentence
 */
public record ContextRatio(String name, String numerator, String denominator, String note) {

    /**
     * @param name the ratio's name
     * @param numerator the figure divided
     * @param denominator the figure divided by
     * @param note what the ratio tells
     */
    public ContextRatio {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        Objects.requireNonNull(note, "note");
    }
}
