package dev.tollgate.benchmarks.report;

import java.util.Map;
import java.util.Objects;

/**
 * Where a named figure of {@code latest.json} comes from.
 *
 * @param name the figure's name in {@code latest.json}, such as {@code raw_hmac}
 * @param benchmark the JMH benchmark ({@code dev.tollgate.benchmarks.StripeSignatureBenchmark.rawHmac}),
 *     or {@link #PGBENCH}
 * @param params JMH parameters that select one result of a parameterised benchmark
 * @param statistic which number of the result
 */
public record MetricSource(String name, String benchmark, Map<String, String> params, Statistic statistic) {

    /** The benchmark name that stands for the pgbench run. */
    public static final String PGBENCH = "pgbench";

    /**
     * @param name the figure's name
     * @param benchmark the JMH benchmark or {@link #PGBENCH}
     * @param params selecting JMH parameters
     * @param statistic which number
     */
    public MetricSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(benchmark, "benchmark");
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
        Objects.requireNonNull(statistic, "statistic");
    }
}
