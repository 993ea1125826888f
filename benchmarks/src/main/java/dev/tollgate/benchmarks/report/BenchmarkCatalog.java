package dev.tollgate.benchmarks.report;

import java.util.List;
import java.util.Map;

/**
 * The figures and ratios that {@code latest.json} reports, and where each figure comes from. The names are
 * the contract of issue 8; change them only together with the README.
 */
public final class BenchmarkCatalog {

    private static final String PKG = "dev.tollgate.benchmarks.";
    private static final String SIGNATURE = PKG + "StripeSignatureBenchmark.";

    /** Every figure, in report order. */
    public static final List<MetricSource> METRICS = List.of(
            score("raw_hmac", SIGNATURE + "rawHmac"),
            score("tollgate_verify", SIGNATURE + "tollgateVerify"),
            score("tollgate_verify_parse", SIGNATURE + "tollgateVerifyParse"),
            score("stripe_java_verify", SIGNATURE + "stripeJavaVerify"),
            score("stripe_java_construct", SIGNATURE + "stripeJavaConstruct"),
            score("pg_claim_complete", PKG + "ClaimThroughputBenchmark.claimComplete"),
            score("camel_jdbc", PKG + "CamelJdbcBenchmark.addConfirm"),
            score("pgbench_insert_on_conflict", MetricSource.PGBENCH),
            score("jdbc_insert_autocommit", PKG + "JdbcFloorBenchmark.insertAutocommit"),
            score("jdbc_insert_in_transaction", PKG + "JdbcFloorBenchmark.insertInTransaction"),
            score("pipeline_new", PKG + "PipelineBenchmark.newEvent"),
            score("pipeline_duplicate", PKG + "PipelineBenchmark.duplicateEvent"),
            score("pipeline_duplicate_store", PKG + "PipelineBenchmark.duplicateEventAskingStore"),
            score("gate_cached", PKG + "GateBenchmark.cachedDecision"),
            new MetricSource("gate_cached_alloc", PKG + "GateBenchmark.cachedDecision", Map.of(),
                    Statistic.ALLOCATED_BYTES_PER_OP),
            new MetricSource("claim_p50_1e4", PKG + "ClaimLatencyBenchmark.claimComplete",
                    Map.of("storedRows", "10000"), Statistic.P50),
            new MetricSource("claim_p50_1e6", PKG + "ClaimLatencyBenchmark.claimComplete",
                    Map.of("storedRows", "1000000"), Statistic.P50),
            new MetricSource("claim_p99_idle", PKG + "ClaimDuringPurgeBenchmark.claimComplete",
                    Map.of("purging", "false"), Statistic.P99),
            new MetricSource("claim_p99_during_purge", PKG + "ClaimDuringPurgeBenchmark.claimComplete",
                    Map.of("purging", "true"), Statistic.P99));

    /** Every ratio with its goal from issue 8, in report order. */
    public static final List<RatioGoal> RATIOS = List.of(
            new RatioGoal("verify_over_raw_hmac", "tollgate_verify", "raw_hmac", true, 1.2),
            new RatioGoal("stripe_java_verify_over_tollgate", "stripe_java_verify", "tollgate_verify", false, 2),
            new RatioGoal("stripe_java_construct_over_tollgate_parse", "stripe_java_construct",
                    "tollgate_verify_parse", false, 2.5),
            new RatioGoal("pg_claim_complete_over_pgbench", "pg_claim_complete", "pgbench_insert_on_conflict",
                    false, 0.7),
            new RatioGoal("tollgate_over_camel_jdbc", "pg_claim_complete", "camel_jdbc", false, 4),
            new RatioGoal("new_over_duplicate", "pipeline_new", "pipeline_duplicate", false, 3),
            new RatioGoal("gate_cached_ns", "gate_cached", null, true, 100),
            new RatioGoal("gate_cached_alloc_bytes", "gate_cached_alloc", null, true, 0.5,
                    "goal 0: the smallest Java object is 16 B, so any allocation on the path shows as >= 16 B/op; "
                            + "below 0.5 B/op is JMH's measurement residue, not an allocation"),
            new RatioGoal("claim_p50_1e6_over_1e4", "claim_p50_1e6", "claim_p50_1e4", true, 1.3),
            new RatioGoal("claim_p99_during_purge_over_idle", "claim_p99_during_purge", "claim_p99_idle", true, 2));

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
                    "the most tollgate_over_camel_jdbc can reach with two round trips per event"),
            new ContextRatio("new_over_duplicate_asking_store", "pipeline_new", "pipeline_duplicate_store",
                    "a duplicate on a replica that has not seen the event (duplicate cache off): the store answers "
                            + "it, in the claim's transaction"));

    private BenchmarkCatalog() {
    }

    private static MetricSource score(String name, String benchmark) {
        return new MetricSource(name, benchmark, Map.of(), Statistic.SCORE);
    }
}
