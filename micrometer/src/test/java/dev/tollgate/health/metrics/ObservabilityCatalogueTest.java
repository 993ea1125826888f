package dev.tollgate.health.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped dashboard and alert rules query only meters of the catalogue, with their tags and values. */
class ObservabilityCatalogueTest {

    private static final String DIR = "/dev/tollgate/health/observability/";
    /** Series Prometheus itself provides. */
    private static final Set<String> PROMETHEUS_BUILTINS = Set.of("up");
    /** Labels Prometheus or the histogram add to every series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "le");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "irate",
            "increase", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
            "offset", "histogram_quantile", "clamp_min", "clamp_max", "abs", "topk", "bottomk", "label_values",
            "inf", "nan", "e");

    @Test
    void dashboardQueriesOnlyCatalogueMeters() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(resource("grafana-dashboard.json"));
        List<String> exprs = new ArrayList<>();
        collectExprs(dashboard, exprs);
        assertTrue(exprs.size() >= 10, "dashboard queries: " + exprs.size());
        exprs.forEach(ObservabilityCatalogueTest::assertKnown);
        assertEquals("tollgate-overview", dashboard.get("uid").asText());
    }

    @Test
    void alertRulesCoverTheRunbookAndQueryOnlyCatalogueMeters() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(resource("prometheus-alerts.yml"));
        Set<String> alerts = new LinkedHashSet<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                alerts.add(rule.get("alert").asText());
                assertKnown(rule.get("expr").asText());
                assertNotNull(rule.get("labels").get("severity"), rule.get("alert").asText());
            }
        }
        assertEquals(Set.of("TollgateApiDown", "TollgateReadinessFailing", "TollgateWebhookVerificationFailures",
                "TollgateWebhookProcessingFailures", "TollgateDeadLettersGrowing", "TollgatePaymentRequiredSpike",
                "TollgateBackupStale",
                "TollgateWebhookBacklogStale", "TollgateWebhookRetriesStuck", "TollgateDeadLettersOpen", "TollgateCatchUpLagging"), alerts);
    }

    @Test
    void theCheckerCatchesUnknownMetricsLabelsAndValues() {
        assertEquals(List.of("unknown metric tollgate_webhook_event_total"),
                problems("sum(rate(tollgate_webhook_event_total[5m]))"));
        assertEquals(List.of("tollgate_gate_decisions_total has no label tenant_id"),
                problems("sum by (tenant_id) (rate(tollgate_gate_decisions_total{tenant_id=\"t1\"}[5m]))"));
        assertEquals(List.of("tollgate_gate_decisions_total: outcome=\"blockd\" is not a value of outcome"),
                problems("rate(tollgate_gate_decisions_total{outcome=\"blockd\"}[5m])"));
        assertEquals(List.of("unknown metric tollgate_webhook_processing_total"),
                problems("tollgate_webhook_processing_total"));
        assertEquals(List.of(), problems("histogram_quantile(0.95, sum by (le, provider) "
                + "(rate(tollgate_webhook_processing_seconds_bucket{provider=~\"stripe|revenuecat\"}[5m])))"));
    }

    @Test
    void catalogueNamesAreLowerCaseDottedAndTagsCarryNoIdentities() {
        Set<String> names = new HashSet<>();
        for (MeterDefinition meter : TollgateMeters.ALL) {
            assertTrue(meter.name().matches("tollgate(\\.[a-z][a-z_]*)+"), meter.name());
            assertTrue(names.add(meter.name()), "duplicate " + meter.name());
            for (String tag : meter.tags().keySet()) {
                String t = tag.toLowerCase(Locale.ROOT);
                assertFalse(t.contains("tenant") || t.contains("user") || t.contains("subject") || t.contains("email")
                        || t.endsWith("id"), meter.name() + " tag " + tag);
            }
        }
        assertTrue(names.containsAll(List.of("tollgate.webhook.events", "tollgate.webhook.verification.failures",
                "tollgate.webhook.processing", "tollgate.webhook.dead_letters", "tollgate.gate.decisions",
                "tollgate.consent.writes", "tollgate.legal.acceptances", "tollgate.health.check",
                "tollgate.webhook.oldest_event.age.seconds", "tollgate.webhook.dead_letters.open")));
    }

    @Test
    void prometheusNamesAreWhatMicrometerActuallyPublishes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (MeterDefinition meter : TollgateMeters.ALL) {
            List<String> tags = new ArrayList<>();
            meter.tags().forEach((k, v) -> {
                tags.add(k);
                tags.add(v.isEmpty() ? "x" : v.iterator().next());
            });
            String[] t = tags.toArray(String[]::new);
            switch (meter.type()) {
                case COUNTER -> Counter.builder(meter.name()).tags(t).register(registry).increment();
                case TIMER -> Timer.builder(meter.name()).tags(t).publishPercentileHistogram()
                        .register(registry).record(Duration.ofMillis(5));
                case GAUGE -> Gauge.builder(meter.name(), () -> 1).tags(t).register(registry);
            }
        }
        String scrape = registry.scrape();
        for (MeterDefinition meter : TollgateMeters.ALL) {
            for (String series : meter.prometheusNames()) {
                assertTrue(Pattern.compile("(?m)^" + series + "[{ ]").matcher(scrape).find(),
                        series + " missing from\n" + scrape);
            }
        }
        registry.close();
    }

    private static void assertKnown(String expr) {
        List<String> problems = problems(expr);
        assertTrue(problems.isEmpty(), expr + " → " + problems);
    }

    /** Names every metric, label and literal label value of a PromQL expression that the catalogue lacks. */
    static List<String> problems(String expr) {
        List<String> problems = new ArrayList<>();
        String text = expr.replaceAll("\\[[^\\]]*\\]", " ");
        // selectors with label matchers
        Matcher selector = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)\\}").matcher(text);
        Map<String, List<String[]>> matchers = new java.util.LinkedHashMap<>();
        while (selector.find()) {
            List<String[]> list = matchers.computeIfAbsent(selector.group(1), k -> new ArrayList<>());
            Matcher m = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"").matcher(selector.group(2));
            while (m.find()) {
                list.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }
        String bare = text.replaceAll("\\{[^}]*\\}", " ").replaceAll("\"[^\"]*\"", " ");
        Set<String> groupLabels = new LinkedHashSet<>();
        Matcher grouping = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)").matcher(bare);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    groupLabels.add(label.strip());
                }
            }
        }
        bare = grouping.replaceAll(" ");
        Set<String> metrics = new LinkedHashSet<>();
        Matcher word = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (word.find()) {
            if (word.group(2) == null && !PROMQL_WORDS.contains(word.group(1))) {
                metrics.add(word.group(1));
            }
        }
        metrics.addAll(matchers.keySet());
        Set<String> allTags = new HashSet<>(TARGET_LABELS);
        for (String metric : metrics) {
            if (PROMETHEUS_BUILTINS.contains(metric)) {
                continue;
            }
            var meter = TollgateMeters.forPrometheusName(metric);
            if (meter.isEmpty()) {
                problems.add("unknown metric " + metric);
                continue;
            }
            allTags.addAll(meter.get().tags().keySet());
            for (String[] m : matchers.getOrDefault(metric, List.of())) {
                if (TARGET_LABELS.contains(m[0])) {
                    continue;
                }
                Set<String> values = meter.get().tags().get(m[0]);
                if (values == null) {
                    problems.add(metric + " has no label " + m[0]);
                } else if (!values.isEmpty()) {
                    List<String> literals = m[1].contains("~") ? List.of(m[2].split("\\|")) : List.of(m[2]);
                    for (String v : literals) {
                        if (!values.contains(v)) {
                            problems.add(metric + ": " + m[0] + "=\"" + v + "\" is not a value of " + m[0]);
                        }
                    }
                }
            }
        }
        if (problems.isEmpty()) {
            for (String label : groupLabels) {
                if (!allTags.contains(label)) {
                    problems.add(String.join(",", metrics) + " has no label " + label);
                }
            }
        }
        return problems;
    }

    private static void collectExprs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr")) {
                    out.add(e.getValue().asText());
                } else {
                    collectExprs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectExprs(n, out));
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ObservabilityCatalogueTest.class.getResourceAsStream(DIR + name);
        assertNotNull(in, DIR + name);
        return in;
    }
}
