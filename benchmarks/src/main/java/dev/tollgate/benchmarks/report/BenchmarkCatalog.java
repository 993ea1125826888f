package dev.tollgate.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * The figures and ratios that {@code latest.json} reports, and where each figure comes from. The names are
 * the contract of issues 8 and 18; change them only together with the README.
 */
public final class BenchmarkCatalog {

    private static final String PKG = "dev.tollgate.benchmarks.";
    private static final String SIGNATURE = PKG + "StripeSignatureBenchmark.";
    private static final String GATE_FILTER = PKG + "GateFilterBenchmark.request";

    /** Every figure, in report order. */
    public static final List<MetricSource> METRICS = List.of(
            score("raw_hmac", SIGNATURE + "rawHmac", Durability.NONE),
            score("tollgate_verify", SIGNATURE + "tollgateVerify", Durability.NONE),
            score("tollgate_verify_parse", SIGNATURE + "tollgateVerifyParse", Durability.NONE),
            score("stripe_java_verify", SIGNATURE + "stripeJavaVerify", Durability.NONE),
            score("stripe_java_construct", SIGNATURE + "stripeJavaConstruct", Durability.NONE),
            score("pg_claim_complete", PKG + "ClaimThroughputBenchmark.claimComplete", Durability.ON),
            score("camel_jdbc", PKG + "CamelJdbcBenchmark.addConfirm", Durability.ON),
            pgbench("pgbench_insert_on_conflict", "8", Durability.ON),
            pgbench("pgbench_insert_on_conflict_32", "32", Durability.ON),
            score("jdbc_insert_autocommit", PKG + "JdbcFloorBenchmark.insertAutocommit", Durability.ON),
            score("jdbc_insert_in_transaction", PKG + "JdbcFloorBenchmark.insertInTransaction", Durability.ON),
            score("async_intake", PKG + "AsyncIntakeBenchmark.intake", Durability.ON),
            new MetricSource("async_intake_p99", PKG + "AsyncIntakeBenchmark.intakeLatency", Map.of(), Statistic.P99,
                    Durability.ON),
            score("pipeline_new", PKG + "PipelineBenchmark.newEvent", Durability.ON),
            score("pipeline_duplicate", PKG + "PipelineBenchmark.duplicateEvent", Durability.NONE),
            score("pipeline_duplicate_store", PKG + "PipelineBenchmark.duplicateEventAskingStore", Durability.ON),
            new MetricSource("claim_alloc_with_delivery", PKG + "ClaimAllocationBenchmark.claimComplete", Map.of(),
                    Statistic.ALLOCATED_BYTES_PER_OP, Durability.ON),
            new MetricSource("claim_alloc_delivery_only", PKG + "ClaimAllocationBenchmark.deliveryOnly", Map.of(),
                    Statistic.ALLOCATED_BYTES_PER_OP, Durability.NONE),
            score("gate_cached", PKG + "GateBenchmark.cachedDecision", Durability.NONE),
            new MetricSource("gate_cached_alloc", PKG + "GateBenchmark.cachedDecision", Map.of(),
                    Statistic.ALLOCATED_BYTES_PER_OP, Durability.NONE),
            new MetricSource("gate_filter_none", GATE_FILTER, Map.of("gate", "none"), Statistic.SCORE, Durability.NONE),
            new MetricSource("gate_filter_cached", GATE_FILTER, Map.of("gate", "cached"), Statistic.SCORE,
                    Durability.NONE),
            new MetricSource("gate_filter_miss", GATE_FILTER, Map.of("gate", "miss"), Statistic.SCORE, Durability.NONE),
            new MetricSource("claim_p50_1e4", PKG + "ClaimLatencyBenchmark.claimComplete",
                    Map.of("storedRows", "10000"), Statistic.P50, Durability.ON),
            new MetricSource("claim_p50_1e6", PKG + "ClaimLatencyBenchmark.claimComplete",
                    Map.of("storedRows", "1000000"), Statistic.P50, Durability.ON),
            // retention as Tollgate runs it: PostgresIdempotencyStore.purge dropping a day partition every second
            new MetricSource("claim_p99_idle", PKG + "PartitionRetentionBenchmark.claimComplete",
                    Map.of("rows", "1000000", "retention", "false"), Statistic.P99, Durability.ON),
            new MetricSource("claim_p99_during_purge", PKG + "PartitionRetentionBenchmark.claimComplete",
                    Map.of("rows", "1000000", "retention", "true"), Statistic.P99, Durability.ON),
            // the row-by-row DELETE that purge replaced, for comparison
            new MetricSource("claim_p99_row_delete_idle", PKG + "ClaimDuringPurgeBenchmark.claimComplete",
                    Map.of("purging", "false"), Statistic.P99, Durability.ON),
            new MetricSource("claim_p99_during_row_delete", PKG + "ClaimDuringPurgeBenchmark.claimComplete",
                    Map.of("purging", "true"), Statistic.P99, Durability.ON),
            // the second pass: the same operations with synchronous_commit=off, for context
            score("pg_claim_complete_off", PKG + "ClaimThroughputBenchmark.claimComplete", Durability.OFF),
            score("camel_jdbc_off", PKG + "CamelJdbcBenchmark.addConfirm", Durability.OFF),
            pgbench("pgbench_insert_on_conflict_off", "8", Durability.OFF),
            score("jdbc_insert_in_transaction_off", PKG + "JdbcFloorBenchmark.insertInTransaction", Durability.OFF),
            score("async_intake_off", PKG + "AsyncIntakeBenchmark.intake", Durability.OFF));

    /** Every ratio with its goal from issues 8 and 18, in report order. */
    public static final List<RatioGoal> RATIOS = List.of(
            RatioGoal.ratio("verify_over_raw_hmac", "tollgate_verify", "raw_hmac", true, 1.2),
            RatioGoal.ratio("stripe_java_verify_over_tollgate", "stripe_java_verify", "tollgate_verify", false, 2),
            RatioGoal.ratio("stripe_java_construct_over_tollgate_parse", "stripe_java_construct",
                    "tollgate_verify_parse", false, 2.5),
            RatioGoal.ratio("pg_claim_complete_over_pgbench_sync", "pg_claim_complete", "pgbench_insert_on_conflict",
                    false, 0.45),
            RatioGoal.ratio("tollgate_over_camel_jdbc_sync", "pg_claim_complete", "camel_jdbc", false, 1.0),
            RatioGoal.ratio("async_intake_over_pgbench_sync", "async_intake", "pgbench_insert_on_conflict", false, 1.5),
            RatioGoal.ratio("async_intake_over_camel_jdbc_sync", "async_intake", "camel_jdbc", false, 3),
            RatioGoal.figure("async_intake_p99_ms", "async_intake_p99", "ms/op", true, 20),
            RatioGoal.difference("claim_alloc_bytes", "claim_alloc_with_delivery", "claim_alloc_delivery_only", true,
                    8192).withNote("bytes one transactional claim allocates: ClaimAllocationBenchmark.claimComplete "
                            + "minus deliveryOnly, which runs the same per-invocation set-up (signing a new 2 KB "
                            + "delivery) and nothing else; JMH's gc profiler counts set-ups too"),
            RatioGoal.ratio("new_over_duplicate", "pipeline_new", "pipeline_duplicate", false, 3),
            RatioGoal.figure("gate_cached_ns", "gate_cached", "ns/op", true, 100),
            RatioGoal.figure("gate_cached_alloc_bytes", "gate_cached_alloc", "B/op", true, 0.5).withNote(
                    "goal 0: the smallest Java object is 16 B, so any allocation on the path shows as >= 16 B/op; "
                            + "below 0.5 B/op is JMH's measurement residue, not an allocation"),
            RatioGoal.ratio("gate_filter_overhead_ratio", "gate_filter_none", "gate_filter_cached", true, 1.05),
            RatioGoal.ratio("claim_p50_1e6_over_1e4", "claim_p50_1e6", "claim_p50_1e4", true, 1.3),
            RatioGoal.ratio("claim_p99_during_purge_over_idle_sync", "claim_p99_during_purge", "claim_p99_idle", true,
                    1.2));

    /** Ratios without a goal that explain the goals: Tollgate and the references against controls. */
    public static final List<ContextRatio> CONTEXT = List.of(
            new ContextRatio("jdbc_autocommit_over_pgbench", "jdbc_insert_autocommit", "pgbench_insert_on_conflict",
                    "pgbench's statement sent from Java (HikariCP + pgjdbc, same threads), one round trip: what a JVM "
                            + "client costs before any Tollgate code"),
            new ContextRatio("jdbc_transaction_over_pgbench", "jdbc_insert_in_transaction", "pgbench_insert_on_conflict",
                    "the same statement in a transaction (statement, then commit: two round trips): the most that "
                            + "any claim-before-handler transaction from Java reaches on this machine"),
            new ContextRatio("pg_claim_complete_over_jdbc_transaction", "pg_claim_complete",
                    "jdbc_insert_in_transaction", "Tollgate's transactional claim (verify, parse, claim, handler, "
                            + "commit) against that two-round-trip ceiling"),
            new ContextRatio("jdbc_transaction_over_camel_jdbc", "jdbc_insert_in_transaction", "camel_jdbc",
                    "the most tollgate_over_camel_jdbc_sync can reach with two round trips per event"),
            new ContextRatio("async_intake_over_pg_claim_complete", "async_intake", "pg_claim_complete",
                    "what the asynchronous intake with group commit stores per second against the transactional "
                            + "pipeline's one commit per delivery"),
            new ContextRatio("async_intake_over_pgbench_32", "async_intake", "pgbench_insert_on_conflict_32",
                    "the intake against pgbench with as many clients (32) as concurrent deliveries: PostgreSQL's own "
                            + "WAL group flush at that concurrency"),
            new ContextRatio("new_over_duplicate_asking_store", "pipeline_new", "pipeline_duplicate_store",
                    "a duplicate on a replica that has not seen the event (duplicate cache off): the store answers "
                            + "it, in the claim's transaction"),
            new ContextRatio("gate_filter_cached_over_miss", "gate_filter_cached", "gate_filter_miss",
                    "requests per second with every gate decision cached against every one read from PostgreSQL "
                            + "(one indexed read per request)"),
            new ContextRatio("claim_p99_during_row_delete_over_idle", "claim_p99_during_row_delete",
                    "claim_p99_row_delete_idle", "claim p99 while old events are deleted row by row in batches of 500 "
                            + "back to back (ClaimDuringPurgeBenchmark), the purge that day partitions replaced"),
            new ContextRatio("pg_claim_complete_over_pgbench_off", "pg_claim_complete_off",
                    "pgbench_insert_on_conflict_off", "the transactional claim against pgbench when neither waits "
                            + "for the WAL flush (the ratio issue 8 recorded)"),
            new ContextRatio("tollgate_over_camel_jdbc_off", "pg_claim_complete_off", "camel_jdbc_off",
                    "the same against Camel, without the flush"),
            new ContextRatio("async_intake_over_pgbench_off", "async_intake_off", "pgbench_insert_on_conflict_off",
                    "the intake against pgbench without the flush that group commit shares"),
            new ContextRatio("jdbc_transaction_over_pgbench_off", "jdbc_insert_in_transaction_off",
                    "pgbench_insert_on_conflict_off", "the two-round-trip JDBC ceiling without the flush"));

    private BenchmarkCatalog() {
    }

    private static MetricSource score(String name, String benchmark, Durability durability) {
        return new MetricSource(name, benchmark, Map.of(), Statistic.SCORE, durability);
    }

    private static MetricSource pgbench(String name, String clients, Durability durability) {
        return new MetricSource(name, MetricSource.PGBENCH, Map.of("clients", clients), Statistic.SCORE, durability);
    }
}
