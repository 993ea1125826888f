package dev.tollgate.benchmarks.report;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the throughput out of {@code pgbench}'s summary. */
public final class PgbenchOutput {

    /** {@code tps = 1234.567890 (without initial connection time)}; older pgbench also prints "excluding". */
    private static final Pattern TPS = Pattern.compile(
            "^tps = ([0-9]+(?:\\.[0-9]+)?) \\((?:without initial connection time|excluding connections establishing)\\)",
            Pattern.MULTILINE);
    private static final Pattern FAILED = Pattern.compile("^number of failed transactions: ([0-9]+)", Pattern.MULTILINE);

    private PgbenchOutput() {
    }

    /**
     * @param output what pgbench printed
     * @return transactions per second, connection set-up excluded
     * @throws IllegalArgumentException if the summary has no such line, or transactions failed
     */
    public static double transactionsPerSecond(String output) {
        Objects.requireNonNull(output, "output");
        Matcher failed = FAILED.matcher(output);
        if (failed.find() && Long.parseLong(failed.group(1)) > 0) {
            throw new IllegalArgumentException("pgbench reports " + failed.group(1)
                    + " failed transactions: its throughput is not a reference; see the pgbench log");
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalArgumentException("no 'tps = … (without initial connection time)' line in the pgbench "
                    + "output: did pgbench run to its end? See the pgbench log");
        }
        return Double.parseDouble(tps.group(1));
    }
}
