package dev.tollgate.benchmarks;

import dev.tollgate.benchmarks.standin.StandInBillingGate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code gate_cached}: a billing-gate decision for a tenant whose status is in the gate's cache, time per
 * operation (ns), one thread; run with JMH's {@code gc} profiler, whose {@code gc.alloc.rate.norm} gives
 * {@code gate_cached_alloc_bytes} (the goal is zero: the hot path of every write request must not
 * allocate). The cache TTL is one hour so that no reload falls into a measurement; the status loader is
 * never called after the warm-up call in the set-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GateBenchmark {

    private String tenantId = "tenant-7f3c9a";
    private final StandInBillingGate gate =
            new StandInBillingGate(tenant -> "active", Duration.ofHours(1), Clock.systemUTC());

    /** Loads the tenant's status into the cache. */
    @Setup(Level.Trial)
    public void warmCache() {
        tenantId = new String(tenantId.toCharArray()); // not a compile-time constant
        if (gate.check(tenantId) != StandInBillingGate.Decision.ALLOW) {
            throw new IllegalStateException("an active tenant must be allowed");
        }
    }

    /**
     * gate_cached.
     *
     * @return the decision
     */
    @Benchmark
    @StandIn("Tollgate's BillingGate.check(tenant, write operation) with a warm cache")
    public StandInBillingGate.Decision cachedDecision() {
        return gate.check(tenantId);
    }
}
