package dev.tollgate.benchmarks;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.TenantBilling;
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
 * {@code gate_cached}: Tollgate's {@link BillingGate#check(String, OperationClass)} of a write operation for
 * an {@code active} tenant whose state is in the gate's cache, over an {@link InMemoryBillingRepository},
 * system UTC clock, enforcement on, time per operation (ns), one thread; run with JMH's {@code gc} profiler,
 * whose {@code gc.alloc.rate.norm} gives {@code gate_cached_alloc_bytes} (the goal is zero: the hot path of
 * every write request must not allocate). The cache TTL is one hour so that no reload falls into a
 * measurement; the repository is read only by the warm-up call in the set-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GateBenchmark {

    private String tenantId = "tenant-7f3c9a";
    private final InMemoryBillingRepository repository = new InMemoryBillingRepository(Clock.systemUTC());
    private final BillingGate gate = BillingGate.builder()
            .repository(repository)
            .clock(Clock.systemUTC())
            .cacheTtl(Duration.ofHours(1))
            .build();

    /** Makes the tenant active and loads its state into the cache. */
    @Setup(Level.Trial)
    public void warmCache() {
        tenantId = new String(tenantId.toCharArray()); // not a compile-time constant
        repository.put(TenantBilling.of(tenantId, BillingStatus.ACTIVE, Clock.systemUTC().instant()), "benchmark");
        BillingDecision decision = gate.check(tenantId, OperationClass.WRITE);
        if (!decision.allowed() || decision.wouldDeny() || decision.billingStatus() != BillingStatus.ACTIVE) {
            throw new IllegalStateException("an active tenant must be allowed, but the gate decided " + decision);
        }
    }

    /**
     * gate_cached.
     *
     * @return the decision
     */
    @Benchmark
    public BillingDecision cachedDecision() {
        return gate.check(tenantId, OperationClass.WRITE);
    }
}
