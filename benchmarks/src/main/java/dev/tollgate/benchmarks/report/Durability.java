package dev.tollgate.benchmarks.report;

/**
 * Under which commit durability a figure was measured: {@code run.sh} runs its server with
 * {@code synchronous_commit=on} (what production runs) for the goals, and measures the PostgreSQL throughputs again
 * with {@code synchronous_commit=off} (sessions' {@code options}) as context.
 */
public enum Durability {

    /** A figure whose operation commits to PostgreSQL with {@code synchronous_commit=on}: each commit is flushed. */
    ON("synchronous_commit=on"),
    /** The same operation with {@code synchronous_commit=off}: commits return before the WAL flush. */
    OFF("synchronous_commit=off"),
    /** A figure of code that writes nothing to the database (verification, a cached gate decision). */
    NONE("none (no commit measured)");

    private final String label;

    Durability(String label) {
        this.label = label;
    }

    /** @return how {@code latest.json} names it */
    public String label() {
        return label;
    }

    /**
     * The durability of a ratio of two figures.
     *
     * @param a one figure's
     * @param b the other's
     * @return {@link #NONE} if both are, else the one that is not
     * @throws IllegalArgumentException if one is {@link #ON} and the other {@link #OFF}: such a ratio compares
     *     durabilities, not code
     */
    public static Durability of(Durability a, Durability b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE || a == b) {
            return a;
        }
        throw new IllegalArgumentException("a ratio must not divide a " + a.label + " figure by a " + b.label + " one");
    }
}
