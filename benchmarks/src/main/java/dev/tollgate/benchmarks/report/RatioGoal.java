package dev.tollgate.benchmarks.report;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A ratio of {@code latest.json} and its goal from issue 8.
 *
 * @param name the ratio's name, such as {@code verify_over_raw_hmac}
 * @param numerator the figure divided
 * @param denominator the figure divided by, or {@code null} for a figure reported as is
 *     ({@code gate_cached_ns})
 * @param atMost whether the goal is an upper bound ({@code ≤}); otherwise a lower bound ({@code ≥})
 * @param goal the bound
 * @param note how the goal is read, when it needs saying, else {@code null}
 */
public record RatioGoal(String name, String numerator, @Nullable String denominator, boolean atMost, double goal,
                        @Nullable String note) {

    /**
     * @param name the ratio's name
     * @param numerator the figure divided
     * @param denominator the figure divided by, or {@code null}
     * @param atMost whether the goal is an upper bound
     * @param goal the bound
     * @param note how the goal is read, or {@code null}
     */
    public RatioGoal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(numerator, "numerator");
    }

    /**
     * A goal that needs no note.
     *
     * @param name the ratio's name
     * @param numerator the figure divided
     * @param denominator the figure divided by, or {@code null}
     * @param atMost whether the goal is an upper bound
     * @param goal the bound
     */
    public RatioGoal(String name, String numerator, @Nullable String denominator, boolean atMost, double goal) {
        this(name, numerator, denominator, atMost, goal, null);
    }

    /**
     * @param value the measured ratio
     * @return whether it meets the goal
     */
    public boolean isMetBy(double value) {
        return atMost ? value <= goal : value >= goal;
    }

    /** @return the goal as text, such as {@code <= 1.2} */
    public String describeGoal() {
        String bound = goal == Math.rint(goal) ? Long.toString((long) goal) : Double.toString(goal);
        return (atMost ? "<= " : ">= ") + bound;
    }
}
