package dev.tollgate.benchmarks.report;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A ratio of {@code latest.json} and its goal (issues 8 and 18): a quotient of two figures, a difference of two
 * (an allocation net of its set-up), or one figure in a stated unit.
 *
 * @param name the ratio's name, such as {@code verify_over_raw_hmac}
 * @param numerator the figure divided (or subtracted from, or reported)
 * @param denominator the figure divided by (or subtracted), or {@code null} for a figure reported as is
 * @param difference whether the value is {@code numerator - denominator} rather than their quotient
 * @param unit the unit a figure reported as is is converted to ({@code ns/op}, {@code ms/op}, {@code B/op}), or
 *     {@code null} for a quotient or a difference
 * @param atMost whether the goal is an upper bound ({@code ≤}); otherwise a lower bound ({@code ≥})
 * @param goal the bound
 * @param note how the goal is read, when it needs saying, else {@code null}
 */
public record RatioGoal(String name, String numerator, @Nullable String denominator, boolean difference,
                        @Nullable String unit, boolean atMost, double goal, @Nullable String note) {

    /**
     * @param name the ratio's name
     * @param numerator the figure divided (or subtracted from, or reported)
     * @param denominator the figure divided by (or subtracted), or {@code null}
     * @param difference whether the value is a difference
     * @param unit the unit of a figure reported as is, else {@code null}
     * @param atMost whether the goal is an upper bound
     * @param goal the bound
     * @param note how the goal is read, or {@code null}
     */
    public RatioGoal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(numerator, "numerator");
        if ((denominator == null) != (unit != null)) {
            throw new IllegalArgumentException(name + ": a figure reported as is needs a unit, a ratio none");
        }
        if (difference && denominator == null) {
            throw new IllegalArgumentException(name + ": a difference needs two figures");
        }
    }

    /**
     * A quotient of two figures (both times per operation, or both throughputs).
     *
     * @param name the ratio's name
     * @param numerator the figure divided
     * @param denominator the figure divided by
     * @param atMost whether the goal is an upper bound
     * @param goal the bound
     * @return the goal
     */
    public static RatioGoal ratio(String name, String numerator, String denominator, boolean atMost, double goal) {
        return new RatioGoal(name, numerator, Objects.requireNonNull(denominator, "denominator"), false, null, atMost,
                goal, null);
    }

    /**
     * One figure, converted to a unit.
     *
     * @param name the ratio's name
     * @param figure the figure
     * @param unit {@code ns/op}, {@code ms/op} or the figure's own unit (such as {@code B/op})
     * @param atMost whether the goal is an upper bound
     * @param goal the bound
     * @return the goal
     */
    public static RatioGoal figure(String name, String figure, String unit, boolean atMost, double goal) {
        return new RatioGoal(name, figure, null, false, Objects.requireNonNull(unit, "unit"), atMost, goal, null);
    }

    /**
     * A difference of two figures in the same unit, such as an allocation net of its set-up's.
     *
     * @param name the ratio's name
     * @param minuend the figure subtracted from
     * @param subtrahend the figure subtracted
     * @param atMost whether the goal is an upper bound
     * @param goal the bound
     * @return the goal
     */
    public static RatioGoal difference(String name, String minuend, String subtrahend, boolean atMost, double goal) {
        return new RatioGoal(name, minuend, Objects.requireNonNull(subtrahend, "subtrahend"), true, null, atMost, goal,
                null);
    }

    /**
     * @param text how the goal is read
     * @return this goal with a note
     */
    public RatioGoal withNote(String text) {
        return new RatioGoal(name, numerator, denominator, difference, unit, atMost, goal,
                Objects.requireNonNull(text, "text"));
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
