package dev.tollgate.health;

/**
 * The status of one health contributor or of a whole report.
 *
 * <p>When several statuses are combined the most severe wins, in the order
 * {@link #DOWN} &gt; {@link #OUT_OF_SERVICE} &gt; {@link #UP} &gt; {@link #UNKNOWN}.
 */
public enum Status {
    /** Nothing is known, for example because no contributor is registered. The least severe. */
    UNKNOWN,
    /** Working. */
    UP,
    /** Deliberately switched off by an operator (for example a kill switch); not a failure. */
    OUT_OF_SERVICE,
    /** Not working. The most severe. */
    DOWN;

    /**
     * Whether this status lets traffic through: {@link #UP} and {@link #UNKNOWN} do.
     *
     * @return {@code true} unless {@link #DOWN} or {@link #OUT_OF_SERVICE}
     */
    public boolean isAvailable() {
        return this == UP || this == UNKNOWN;
    }

    /**
     * The more severe of two statuses.
     *
     * @param other another status
     * @return this or {@code other}, whichever is more severe
     */
    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
