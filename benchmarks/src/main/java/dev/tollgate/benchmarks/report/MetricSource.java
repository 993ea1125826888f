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
 * @param durability under which commit durability it is measured: {@link Durability#OFF} figures come from
 *     {@code run.sh}'s second pass (and second pgbench run), every other from the first
 */
public record MetricSource(String name, String benchmark, Map<String, String> params, Statistic statistic,
                           Durability durability) {

    /** The benchmark name that stands for the pgbench run. */
    public static final String PGBENCH = "pgbench";

    /**
     * @param name the figure's name
     * @param benchmark the JMH benchmark or {@link #PGBENCH}
     * @param params selecting JMH parameters
     * @param statistic which number
     * @param durability under which commit durability
     */
    public MetricSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(benchmark, "benchmark");
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
        Objects.requireNonNull(statistic, "statistic");
        Objects.requireNonNull(durability, "durability");
    }
}
