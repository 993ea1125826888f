package dev.tollgate.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsReportTest {

    private static final String PKG = "dev.tollgate.benchmarks.";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A JMH result array with every benchmark the catalog reads, values chosen to make ratios obvious. */
    private static ArrayNode fullRun() {
        ArrayNode run = JsonNodeFactory.instance.arrayNode();
        String sig = PKG + "StripeSignatureBenchmark.";
        run.add(score(sig + "rawHmac", 2800, "ns/op", 30));
        run.add(score(sig + "tollgateVerify", 3.08, "us/op", 0.05)); // 3080 ns: 1.1 x raw
        run.add(score(sig + "tollgateVerifyParse", 6000, "ns/op", 100));
        run.add(score(sig + "stripeJavaVerify", 7000, "ns/op", 100));
        run.add(score(sig + "stripeJavaConstruct", 18000, "ns/op", 300));
        run.add(score(PKG + "ClaimThroughputBenchmark.claimComplete", 2000, "ops/s", 50));
        run.add(score(PKG + "CamelJdbcBenchmark.addConfirm", 1000, "ops/s", 20));
        run.add(score(PKG + "PipelineBenchmark.newEvent", 900, "us/op", 10));
        run.add(score(PKG + "PipelineBenchmark.duplicateEvent", 300, "us/op", 5));
        ObjectNode gate = score(PKG + "GateBenchmark.cachedDecision", 25, "ns/op", 1);
        ObjectNode alloc = gate.putObject("secondaryMetrics").putObject("gc.alloc.rate.norm");
        alloc.put("score", 0.0008);
        alloc.put("scoreError", 0.001);
        alloc.put("scoreUnit", "B/op");
        run.add(gate);
        run.add(sample(PKG + "ClaimLatencyBenchmark.claimComplete", Map.of("storedRows", "10000"), 400, 900));
        run.add(sample(PKG + "ClaimLatencyBenchmark.claimComplete", Map.of("storedRows", "1000000"), 600, 1500));
        run.add(sample(PKG + "PartitionRetentionBenchmark.claimComplete",
                Map.of("rows", "1000000", "retention", "false"), 400, 1000));
        run.add(sample(PKG + "PartitionRetentionBenchmark.claimComplete",
                Map.of("rows", "1000000", "retention", "true"), 500, 1500));
        // Controls, appended last so that the indices above stay as the tests below use them.
        run.add(score(PKG + "PipelineBenchmark.duplicateEventAskingStore", 450, "us/op", 5));
        run.add(score(PKG + "JdbcFloorBenchmark.insertAutocommit", 2000, "ops/s", 40));
        run.add(score(PKG + "JdbcFloorBenchmark.insertInTransaction", 1250, "ops/s", 30));
        // Issue 18's figures, appended after the others for the same reason.
        run.add(score(PKG + "AsyncIntakeBenchmark.intake", 5000, "ops/s", 100));
        ObjectNode latency = sample(PKG + "AsyncIntakeBenchmark.intakeLatency", Map.of(), 4, 12);
        ((ObjectNode) latency.get("primaryMetric")).put("scoreUnit", "ms/op");
        run.add(latency);
        run.add(allocation(PKG + "ClaimAllocationBenchmark.claimComplete", 17_000));
        run.add(allocation(PKG + "ClaimAllocationBenchmark.deliveryOnly", 11_000));
        run.add(gateFilter("none", 10_000));
        run.add(gateFilter("cached", 9_800));
        run.add(gateFilter("miss", 4_900));
        run.add(sample(PKG + "ClaimDuringPurgeBenchmark.claimComplete", Map.of("purging", "false"), 400, 1000));
        run.add(sample(PKG + "ClaimDuringPurgeBenchmark.claimComplete", Map.of("purging", "true"), 500, 3000));
        return run;
    }

    /** The second pass, at synchronous_commit=off. */
    private static ArrayNode offRun() {
        ArrayNode run = JsonNodeFactory.instance.arrayNode();
        run.add(score(PKG + "ClaimThroughputBenchmark.claimComplete", 6000, "ops/s", 50));
        run.add(score(PKG + "CamelJdbcBenchmark.addConfirm", 8000, "ops/s", 20));
        run.add(score(PKG + "JdbcFloorBenchmark.insertInTransaction", 9000, "ops/s", 30));
        run.add(score(PKG + "AsyncIntakeBenchmark.intake", 12000, "ops/s", 100));
        return run;
    }

    private static ObjectNode allocation(String benchmark, double bytes) {
        ObjectNode result = score(benchmark, 300, "us/op", 1);
        ObjectNode alloc = result.putObject("secondaryMetrics").putObject("gc.alloc.rate.norm");
        alloc.put("score", bytes);
        alloc.put("scoreUnit", "B/op");
        return result;
    }

    private static ObjectNode gateFilter(String gate, double opsPerSecond) {
        ObjectNode result = score(PKG + "GateFilterBenchmark.request", opsPerSecond, "ops/s", 10);
        result.putObject("params").put("gate", gate);
        return result;
    }

    private static ObjectNode score(String benchmark, double score, String unit, Object error) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("benchmark", benchmark);
        ObjectNode primary = result.putObject("primaryMetric");
        primary.put("score", score);
        primary.put("scoreUnit", unit);
        if (error instanceof Double d) {
            primary.put("scoreError", d);
        } else if (error instanceof Integer i) {
            primary.put("scoreError", i);
        } else {
            primary.put("scoreError", String.valueOf(error));
        }
        return result;
    }

    private static ObjectNode sample(String benchmark, Map<String, String> params, double p50, double p99) {
        ObjectNode result = score(benchmark, (p50 + p99) / 2, "us/op", 10);
        params.forEach(result.putObject("params")::put);
        ObjectNode percentiles = ((ObjectNode) result.get("primaryMetric")).putObject("scorePercentiles");
        percentiles.put("0.0", 1.0);
        percentiles.put("50.0", p50);
        percentiles.put("99.0", p99);
        percentiles.put("100.0", p99 * 10);
        return result;
    }

    private static ObjectNode report(ArrayNode run, Double tps) {
        ObjectNode machine = MachineInfo.describe("15.18",
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        return ResultsReport.build(new JmhResults(run), tps, machine, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void computesEveryRatioInCommonUnits() {
        JsonNode ratios = report(fullRun(), 2500.0).get("ratios");
        assertEquals(1.1, ratios.get("verify_over_raw_hmac").asDouble(), 1e-9);
        assertEquals(7000 / 3080.0, ratios.get("stripe_java_verify_over_tollgate").asDouble(), 1e-3);
        assertEquals(3.0, ratios.get("stripe_java_construct_over_tollgate_parse").asDouble(), 1e-9);
        assertEquals(0.8, ratios.get("pg_claim_complete_over_pgbench_sync").asDouble(), 1e-9);
        assertEquals(2.0, ratios.get("tollgate_over_camel_jdbc_sync").asDouble(), 1e-9);
        assertEquals(2.0, ratios.get("async_intake_over_pgbench_sync").asDouble(), 1e-9);
        assertEquals(5.0, ratios.get("async_intake_over_camel_jdbc_sync").asDouble(), 1e-9);
        assertEquals(12.0, ratios.get("async_intake_p99_ms").asDouble(), 1e-9);
        assertEquals(6000.0, ratios.get("claim_alloc_bytes").asDouble(), 1e-9);
        assertEquals(3.0, ratios.get("new_over_duplicate").asDouble(), 1e-9);
        assertEquals(25.0, ratios.get("gate_cached_ns").asDouble(), 1e-9);
        assertEquals(0.0008, ratios.get("gate_cached_alloc_bytes").asDouble(), 1e-9);
        assertEquals(10_000 / 9_800.0, ratios.get("gate_filter_overhead_ratio").asDouble(), 1e-3);
        assertEquals(1.5, ratios.get("claim_p50_1e6_over_1e4").asDouble(), 1e-9);
        assertEquals(1.5, ratios.get("claim_p99_during_purge_over_idle_sync").asDouble(), 1e-9);
        assertEquals(15, ratios.size());
    }

    @Test
    void namesEachGoalsDurabilityAndReadsTheSecondPassForContext() {
        Map<String, Double> pgbench = Map.of("8/on", 2500.0, "8/off", 10_000.0, "32/on", 4000.0);
        ObjectNode report = ResultsReport.build(new JmhResults(fullRun()), new JmhResults(offRun()), pgbench,
                JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), name -> null);
        JsonNode goals = report.get("goals");
        assertEquals("synchronous_commit=on", goals.get("pg_claim_complete_over_pgbench_sync").get("durability").asText());
        assertEquals("synchronous_commit=on", goals.get("new_over_duplicate").get("durability").asText(),
                "a ratio with one committing figure has that figure's durability");
        assertEquals("none (no commit measured)", goals.get("verify_over_raw_hmac").get("durability").asText());
        assertEquals("none (no commit measured)", goals.get("gate_filter_overhead_ratio").get("durability").asText());
        JsonNode context = report.get("context");
        assertEquals(0.6, context.get("pg_claim_complete_over_pgbench_off").get("value").asDouble(), 1e-9);
        assertEquals("synchronous_commit=off", context.get("pg_claim_complete_over_pgbench_off").get("durability")
                .asText());
        assertEquals(0.75, context.get("tollgate_over_camel_jdbc_off").get("value").asDouble(), 1e-9);
        assertEquals(1.2, context.get("async_intake_over_pgbench_off").get("value").asDouble(), 1e-9);
        assertEquals(1.25, context.get("async_intake_over_pgbench_32").get("value").asDouble(), 1e-9);
        assertEquals(2.0, context.get("gate_filter_cached_over_miss").get("value").asDouble(), 1e-9);
        assertEquals(3.0, context.get("claim_p99_during_row_delete_over_idle").get("value").asDouble(), 1e-9);
        assertEquals("synchronous_commit=off", report.get("benchmarks").get("async_intake_off").get("durability")
                .asText());
        assertTrue(ResultsReport.markdownTable(report).contains(
                "| async_intake_over_pgbench_sync | 2.0 | >= 1.5 | pass | synchronous_commit=on |"),
                ResultsReport.markdownTable(report));
        assertEquals(List.of(), ResultsReport.missingRatios(report));
    }

    @Test
    void aRatioNeverDividesOneDurabilityByTheOther() {
        assertThrows(IllegalArgumentException.class, () -> Durability.of(Durability.ON, Durability.OFF));
        assertEquals(Durability.OFF, Durability.of(Durability.NONE, Durability.OFF));
        assertEquals(Durability.NONE, Durability.of(Durability.NONE, Durability.NONE));
    }

    @Test
    void computesTheContextRatiosWithoutGoals() {
        ObjectNode report = report(fullRun(), 2500.0);
        JsonNode context = report.get("context");
        assertEquals(0.8, context.get("jdbc_autocommit_over_pgbench").get("value").asDouble(), 1e-9);
        assertEquals(0.5, context.get("jdbc_transaction_over_pgbench").get("value").asDouble(), 1e-9);
        assertEquals(1.6, context.get("pg_claim_complete_over_jdbc_transaction").get("value").asDouble(), 1e-9);
        assertEquals(1.25, context.get("jdbc_transaction_over_camel_jdbc").get("value").asDouble(), 1e-9);
        assertEquals(2.0, context.get("new_over_duplicate_asking_store").get("value").asDouble(), 1e-9);
        assertEquals("pipeline_new / pipeline_duplicate_store",
                context.get("new_over_duplicate_asking_store").get("of").asText());
        assertFalse(report.get("goals").has("jdbc_transaction_over_pgbench"), "context ratios have no goal");
        assertTrue(ResultsReport.markdownTable(report).contains(
                "| jdbc_transaction_over_pgbench | 0.5 | jdbc_insert_in_transaction / pgbench_insert_on_conflict |"));
    }

    @Test
    void flagsEachGoalPassOrMiss() {
        JsonNode goals = report(fullRun(), 2500.0).get("goals");
        Map<String, String> expected = new java.util.HashMap<>(Map.of("verify_over_raw_hmac", "pass",
                "stripe_java_verify_over_tollgate", "pass", "stripe_java_construct_over_tollgate_parse", "pass",
                "pg_claim_complete_over_pgbench_sync", "pass", "tollgate_over_camel_jdbc_sync", "pass",
                "new_over_duplicate", "pass", "gate_cached_ns", "pass", "gate_cached_alloc_bytes", "pass",
                "claim_p50_1e6_over_1e4", "miss", "claim_p99_during_purge_over_idle_sync", "miss"));
        expected.putAll(Map.of("async_intake_over_pgbench_sync", "pass", "async_intake_over_camel_jdbc_sync", "pass",
                "async_intake_p99_ms", "pass", "claim_alloc_bytes", "pass", "gate_filter_overhead_ratio", "pass"));
        expected.forEach((name, result) -> assertEquals(result, goals.get(name).get("result").asText(), name));
        assertEquals(15, expected.size());
        assertEquals(">= 1", goals.get("tollgate_over_camel_jdbc_sync").get("goal").asText());
        assertEquals("<= 1.2", goals.get("verify_over_raw_hmac").get("goal").asText());
    }

    @Test
    void flagsFiguresAndGoalsThatRestOnStandIns() {
        Map<String, String> standIns = Map.of(PKG + "StripeSignatureBenchmark.tollgateVerify", "StripeVerifier.verify",
                PKG + "ClaimThroughputBenchmark.claimComplete", "PostgresIdempotencyStore");
        ObjectNode report = ResultsReport.build(new JmhResults(fullRun()), 2500.0, JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), standIns::get);
        JsonNode benchmarks = report.get("benchmarks");
        assertEquals("StripeVerifier.verify", benchmarks.get("tollgate_verify").get("stand_in").asText());
        assertFalse(benchmarks.get("raw_hmac").has("stand_in"));
        assertFalse(benchmarks.get("tollgate_verify_parse").has("stand_in"));
        JsonNode goals = report.get("goals");
        assertTrue(goals.get("verify_over_raw_hmac").get("stand_in").asBoolean(), "numerator is a stand-in");
        assertTrue(goals.get("stripe_java_verify_over_tollgate").get("stand_in").asBoolean(), "denominator is one");
        assertTrue(goals.get("tollgate_over_camel_jdbc_sync").get("stand_in").asBoolean());
        assertFalse(goals.get("stripe_java_construct_over_tollgate_parse").get("stand_in").asBoolean());
        assertFalse(goals.get("gate_cached_ns").get("stand_in").asBoolean());
        String table = ResultsReport.markdownTable(report);
        assertTrue(table.contains("| tollgate_over_camel_jdbc_sync | 2.0 | >= 1 | pass (stand-in) | synchronous_commit=on |"),
                table);
        assertTrue(table.contains("| new_over_duplicate | 3.0 | >= 3 | pass | synchronous_commit=on |"), table);
    }

    /** Stands for a JMH class, to check that the report reads {@code @StandIn} from the benchmark method. */
    public static class AnnotatedBenchmark {
        /** A stand-in. */
        @dev.tollgate.benchmarks.StandIn("the real thing")
        public void standIn() {
        }

        /** A real measurement. */
        public void real() {
        }
    }

    @Test
    void readsStandInAnnotationsFromTheBenchmarkMethods() {
        String type = AnnotatedBenchmark.class.getName();
        assertEquals("the real thing", ResultsReport.standInOf(type + ".standIn"));
        assertEquals(null, ResultsReport.standInOf(type + ".real"));
        assertEquals(null, ResultsReport.standInOf(type + ".absent"));
        assertEquals(null, ResultsReport.standInOf("no.such.Benchmark.method"));
        assertEquals(null, ResultsReport.standInOf("pgbench"));
    }

    @Test
    void keepsJmhUnitsAndErrorsAndNullsAnAbsentError() {
        ArrayNode run = fullRun();
        ((ObjectNode) run.get(0).get("primaryMetric")).put("scoreError", "NaN");
        JsonNode benchmarks = report(run, 2500.0).get("benchmarks");
        assertEquals("us/op", benchmarks.get("tollgate_verify").get("unit").asText());
        assertEquals(0.05, benchmarks.get("tollgate_verify").get("error").asDouble(), 1e-12);
        assertTrue(benchmarks.get("raw_hmac").get("error").isNull());
        assertEquals(2500.0, benchmarks.get("pgbench_insert_on_conflict").get("score").asDouble());
        assertEquals(1500.0, benchmarks.get("claim_p99_during_purge").get("score").asDouble());
        assertEquals("B/op", benchmarks.get("gate_cached_alloc").get("unit").asText());
    }

    @Test
    void aMissingBenchmarkLeavesItsRatiosNullAndMarkedMissing() {
        ArrayNode run = fullRun();
        run.remove(6); // Camel
        run.remove(10); // claim p50 with 10^6 rows (index 11 before the first removal)
        ObjectNode report = report(run, null);
        assertTrue(report.get("benchmarks").get("camel_jdbc").isNull());
        assertEquals(List.of("pg_claim_complete_over_pgbench_sync", "tollgate_over_camel_jdbc_sync",
                "async_intake_over_pgbench_sync", "async_intake_over_camel_jdbc_sync", "claim_p50_1e6_over_1e4"),
                ResultsReport.missingRatios(report));
        assertEquals("missing", report.get("goals").get("tollgate_over_camel_jdbc_sync").get("result").asText());
        assertEquals("pass", report.get("goals").get("verify_over_raw_hmac").get("result").asText());
    }

    @Test
    void refusesToDivideATimeByAThroughput() {
        ArrayNode run = fullRun();
        run.set(6, score(PKG + "CamelJdbcBenchmark.addConfirm", 1000, "us/op", 20));
        assertThrows(IllegalArgumentException.class, () -> report(run, 2500.0));
    }

    @Test
    void convertsJmhUnits() {
        assertEquals(1500.0, ResultsReport.inUnit(new JmhResults.Figure(1.5, "us/op", null), "ns/op"), 1e-9);
        assertEquals(2_000_000.0, ResultsReport.inUnit(new JmhResults.Figure(2, "ms/op", null), "ns/op"), 1e-9);
        assertEquals(1.5, ResultsReport.inUnit(new JmhResults.Figure(1500, "us/op", null), "ms/op"), 1e-9);
        assertEquals(3000.0, ResultsReport.inUnit(new JmhResults.Figure(3, "ops/ms", null), "ops/s"), 1e-9);
        assertThrows(IllegalArgumentException.class,
                () -> ResultsReport.inUnit(new JmhResults.Figure(3, "ops/fortnight", null), "ops/s"));
    }

    @Test
    void describesTheMachine() {
        JsonNode machine = report(fullRun(), 1.0).get("machine");
        for (String field : List.of("cores", "memory", "java", "os", "cpu_model", "postgres_version", "date")) {
            assertTrue(machine.hasNonNull(field), field);
        }
        assertEquals("2026-11-23T12:00:00Z", machine.get("date").asText());
        assertEquals("15.18", machine.get("postgres_version").asText());
    }

    @Test
    void refusesJmhOutputThatIsNotAnArray() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new JmhResults(MAPPER.readTree("{\"benchmark\":\"x\"}")));
        assertTrue(new JmhResults(MAPPER.readTree("[]")).find(BenchmarkCatalog.METRICS.get(0)).isEmpty());
    }

    @Test
    void aResultWithoutPercentilesGivesNoPercentile() {
        ArrayNode run = fullRun();
        ((ObjectNode) run.get(10).get("primaryMetric")).remove("scorePercentiles");
        ObjectNode report = report(run, 1.0);
        assertTrue(report.get("benchmarks").get("claim_p50_1e4").isNull());
    }
}
