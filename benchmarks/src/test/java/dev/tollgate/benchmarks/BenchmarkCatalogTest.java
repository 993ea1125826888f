package dev.tollgate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tollgate.benchmarks.report.BenchmarkCatalog;
import dev.tollgate.benchmarks.report.ContextRatio;
import dev.tollgate.benchmarks.report.MetricSource;
import dev.tollgate.benchmarks.report.RatioGoal;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** The report's catalog and the JMH classes must not drift apart. */
class BenchmarkCatalogTest {

    private static final List<Class<?>> BENCHMARK_CLASSES = List.of(StripeSignatureBenchmark.class,
            ClaimThroughputBenchmark.class, CamelJdbcBenchmark.class, PipelineBenchmark.class, GateBenchmark.class,
            ClaimLatencyBenchmark.class, ClaimDuringPurgeBenchmark.class, JdbcFloorBenchmark.class,
            AsyncIntakeBenchmark.class, ClaimAllocationBenchmark.class, GateFilterBenchmark.class,
            PartitionRetentionBenchmark.class);

    @Test
    void everyFigureNamesAnExistingBenchmarkAndParameterValue() throws Exception {
        for (MetricSource source : BenchmarkCatalog.METRICS) {
            if (source.benchmark().equals(MetricSource.PGBENCH)) {
                continue;
            }
            int dot = source.benchmark().lastIndexOf('.');
            Class<?> type = Class.forName(source.benchmark().substring(0, dot));
            Method method = type.getMethod(source.benchmark().substring(dot + 1), parameterTypes(type, source));
            assertTrue(method.isAnnotationPresent(Benchmark.class), source.name());
            for (var param : source.params().entrySet()) {
                Field field = type.getField(param.getKey());
                assertTrue(List.of(field.getAnnotation(Param.class).value()).contains(param.getValue()),
                        source.name() + ": " + param);
            }
        }
    }

    @Test
    void everyBenchmarkMethodFeedsTheReport() {
        Set<String> named = BenchmarkCatalog.METRICS.stream().map(MetricSource::benchmark).collect(Collectors.toSet());
        for (Class<?> type : BENCHMARK_CLASSES) {
            for (Method method : type.getMethods()) {
                if (method.isAnnotationPresent(Benchmark.class)) {
                    assertTrue(named.contains(type.getName() + "." + method.getName()),
                            type.getSimpleName() + "." + method.getName() + " is measured but not reported");
                }
            }
        }
    }

    @Test
    void ratiosAreThoseOfIssues8And18AndReferToKnownFigures() {
        assertEquals(List.of("verify_over_raw_hmac", "stripe_java_verify_over_tollgate",
                "stripe_java_construct_over_tollgate_parse", "pg_claim_complete_over_pgbench_sync",
                "tollgate_over_camel_jdbc_sync", "async_intake_over_pgbench_sync", "async_intake_over_camel_jdbc_sync",
                "async_intake_p99_ms", "claim_alloc_bytes", "new_over_duplicate", "gate_cached_ns",
                "gate_cached_alloc_bytes", "gate_filter_overhead_ratio", "claim_p50_1e6_over_1e4",
                "claim_p99_during_purge_over_idle_sync"),
                BenchmarkCatalog.RATIOS.stream().map(RatioGoal::name).toList());
        Set<String> figures = new HashSet<>();
        BenchmarkCatalog.METRICS.forEach(m -> assertTrue(figures.add(m.name()), "duplicate " + m.name()));
        for (ContextRatio context : BenchmarkCatalog.CONTEXT) {
            assertTrue(figures.contains(context.numerator()) && figures.contains(context.denominator()), context.name());
        }
        for (RatioGoal ratio : BenchmarkCatalog.RATIOS) {
            assertTrue(figures.contains(ratio.numerator()), ratio.name());
            if (ratio.denominator() != null && !figures.contains(ratio.denominator())) {
                fail(ratio.name() + " divides by unknown " + ratio.denominator());
            }
        }
    }

    @Test
    void noFigureIsMeasuredThroughAStandIn() {
        for (Class<?> type : BENCHMARK_CLASSES) {
            for (Method method : type.getMethods()) {
                if (method.isAnnotationPresent(Benchmark.class)) {
                    assertFalse(method.isAnnotationPresent(StandIn.class),
                            type.getSimpleName() + "." + method.getName() + " still measures a stand-in");
                }
            }
        }
    }

    private static Class<?>[] parameterTypes(Class<?> type, MetricSource source) {
        String name = source.benchmark().substring(source.benchmark().lastIndexOf('.') + 1);
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name)) {
                return method.getParameterTypes();
            }
        }
        fail(source.benchmark() + " does not exist");
        return new Class<?>[0];
    }
}
