package dev.tollgate.benchmarks;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.GateStatus;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.TenantBilling;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code gate_hostile_ids}: 1,000,000 tenant ids a client invents (random, 32 characters each), checked through a
 * {@link BillingGate} with its default cache bound ({@value BillingGate#DEFAULT_CACHE_MAXIMUM_SIZE}) over an
 * {@link InMemoryBillingRepository}, one thread; the time of the whole batch (single shot). Each iteration's
 * tear-down prints what bounds memory: the gate's cached tenants (never above the bound), its evictions, and the
 * heap in use after a full GC, with a paying tenant checked among the random ones still allowed.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class GateHostileIdsBenchmark {

    /** Random ids per measured batch. */
    public static final int IDS = 1_000_000;

    private final InMemoryBillingRepository repository = new InMemoryBillingRepository(Clock.systemUTC());
    private final BillingGate gate = BillingGate.builder().repository(repository).clock(Clock.systemUTC()).build();
    private final SplittableRandom random = new SplittableRandom(7);
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    /** A paying tenant, checked among the random ids. */
    @Setup(Level.Trial)
    public void payingTenant() {
        repository.put(TenantBilling.of("tenant-paying", BillingStatus.ACTIVE, Clock.systemUTC().instant()), "benchmark");
    }

    /**
     * gate_hostile_ids: a million invented ids, and the paying tenant every thousandth check.
     *
     * @return how many checks were denied (none: unknown tenants are allowed under the default policy)
     */
    @Benchmark
    public int millionRandomIds() {
        int denied = 0;
        for (int i = 0; i < IDS; i++) {
            String id = i % 1000 == 0 ? "tenant-paying" : Long.toHexString(random.nextLong())
                    + Long.toHexString(random.nextLong());
            if (!gate.check(id, OperationClass.WRITE).allowed()) {
                denied++;
            }
        }
        return denied;
    }

    /** Prints the cache's size and the heap in use after a full GC. */
    @TearDown(Level.Iteration)
    public void report() {
        GateStatus status = gate.status();
        if (status.cachedTenants() > status.cacheMaximumSize()) {
            throw new IllegalStateException("the gate cache outgrew its bound: " + status);
        }
        if (!gate.check("tenant-paying", OperationClass.WRITE).allowed()) {
            throw new IllegalStateException("the paying tenant was denied among random ids");
        }
        System.gc();
        System.out.printf("gate: %,d cached tenants (bound %,d), %,d evictions so far, heap used after GC %.1f MiB%n",
                status.cachedTenants(), status.cacheMaximumSize(), status.cacheEvictions(),
                memory.getHeapMemoryUsage().getUsed() / 1048576.0);
    }
}
