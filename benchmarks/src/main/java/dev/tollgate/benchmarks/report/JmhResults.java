package dev.tollgate.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The results of one JMH run, as written by {@code -rf json}: an array of
 * {@code {"benchmark", "params", "primaryMetric": {"score", "scoreError", "scoreUnit", "scorePercentiles"},
 * "secondaryMetrics"}}.
 */
public final class JmhResults {

    private final JsonNode results;

    /**
     * @param results the parsed JSON array
     * @throws IllegalArgumentException if it is not an array
     */
    public JmhResults(JsonNode results) {
        Objects.requireNonNull(results, "results");
        if (!results.isArray()) {
            throw new IllegalArgumentException("JMH results must be a JSON array (JMH -rf json), but were "
                    + results.getNodeType());
        }
        this.results = results;
    }

    /**
     * Finds one figure.
     *
     * @param source what to find
     * @return the figure, or empty when the run has no such benchmark, parameters or statistic
     */
    public Optional<Figure> find(MetricSource source) {
        for (JsonNode result : results) {
            if (source.benchmark().equals(result.path("benchmark").asText()) && paramsMatch(result, source.params())) {
                return figure(result, source.statistic());
            }
        }
        return Optional.empty();
    }

    private static boolean paramsMatch(JsonNode result, Map<String, String> wanted) {
        JsonNode params = result.path("params");
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(params.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Figure> figure(JsonNode result, Statistic statistic) {
        JsonNode primary = result.path("primaryMetric");
        String unit = primary.path("scoreUnit").asText("");
        return switch (statistic) {
            case SCORE -> number(primary.path("score"))
                    .map(score -> new Figure(score, unit, number(primary.path("scoreError")).orElse(null)));
            case P50 -> number(primary.path("scorePercentiles").path("50.0")).map(v -> new Figure(v, unit, null));
            case P99 -> number(primary.path("scorePercentiles").path("99.0")).map(v -> new Figure(v, unit, null));
            case ALLOCATED_BYTES_PER_OP -> allocation(result.path("secondaryMetrics"));
        };
    }

    private static Optional<Figure> allocation(JsonNode secondary) {
        // JMH names it "gc.alloc.rate.norm"; versions before 1.36 prefixed a middle dot.
        for (String key : new String[] {"gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm"}) {
            JsonNode metric = secondary.path(key);
            if (!metric.isMissingNode()) {
                return number(metric.path("score")).map(v -> new Figure(v, metric.path("scoreUnit").asText("B/op"),
                        number(metric.path("scoreError")).orElse(null)));
            }
        }
        return Optional.empty();
    }

    /** JMH writes NaN as the string "NaN" (for example the error of a single iteration). */
    private static Optional<Double> number(JsonNode node) {
        double value;
        if (node.isNumber()) {
            value = node.doubleValue();
        } else if (node.isTextual()) {
            try {
                value = Double.parseDouble(node.asText());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * One figure of a run.
     *
     * @param score the value
     * @param unit its JMH unit, such as {@code ns/op}, {@code ops/s}, {@code B/op}
     * @param error the 99.9% confidence half-width JMH reports, or {@code null} when it has none
     */
    public record Figure(double score, String unit, @Nullable Double error) {
    }
}
