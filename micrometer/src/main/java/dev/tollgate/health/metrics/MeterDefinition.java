package dev.tollgate.health.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One meter of the catalogue.
 *
 * @param name the Micrometer name, lower-case and dot-separated ({@code tollgate.webhook.events})
 * @param type counter, timer or gauge
 * @param tags each tag's name and its allowed values (an empty set: open, but low-cardinality)
 * @param description what it counts or measures
 */
public record MeterDefinition(String name, MeterType type, Map<String, Set<String>> tags, String description) {

    /**
     * Checks and copies the arguments.
     *
     * @param name the Micrometer name, lower-case and dot-separated ({@code tollgate.webhook.events})
     * @param type counter, timer or gauge
     * @param tags each tag's name and its allowed values (an empty set: open, but low-cardinality)
     * @param description what it counts or measures
     */
    public MeterDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        LinkedHashMap<String, Set<String>> copy = new LinkedHashMap<>();
        tags.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        tags = Collections.unmodifiableMap(copy);
    }

    /**
     * The base Prometheus name: dots become underscores ({@code tollgate_webhook_events}).
     *
     * @return the base name
     */
    public String prometheusBaseName() {
        return name.replace('.', '_');
    }

    /**
     * The series names Micrometer's Prometheus registry publishes for this meter.
     *
     * @return {@code _total} for a counter; {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max},
     *     {@code _seconds_bucket} for a timer; the base name for a gauge
     */
    public List<String> prometheusNames() {
        String base = prometheusBaseName();
        return switch (type) {
            case COUNTER -> List.of(base + "_total");
            case TIMER -> List.of(base + "_seconds_count", base + "_seconds_sum", base + "_seconds_max",
                    base + "_seconds_bucket");
            case GAUGE -> List.of(base);
        };
    }
}
