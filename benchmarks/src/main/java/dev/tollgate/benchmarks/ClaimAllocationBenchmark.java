package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * {@code claim_alloc_bytes}: the bytes one transactional claim allocates, run with JMH's {@code gc} profiler
 * ({@code -prof gc}, {@code gc.alloc.rate.norm}). JMH counts what a per-invocation set-up allocates too, and building
 * and signing each new 2 KB delivery ({@link NewStripeDelivery}) costs about 12 KB, so the figure is
 * {@link #claimComplete} minus {@link #deliveryOnly}, which runs the same set-up and nothing else. One thread,
 * as {@code pg_claim_complete} otherwise (transactional pipeline, no-op handler, a new random id per call).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ClaimAllocationBenchmark {

    private @Nullable HikariDataSource pool;
    private @Nullable WebhookPipeline pipeline;

    /** Opens the pool, empties {@code webhooks.events} and checks that a new event is processed. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("claim-allocation", 1);
        EventsTable.reset(pool);
        pipeline = BenchmarkPipelines.transactional(pool);
        NewStripeDelivery first = new NewStripeDelivery();
        first.prepare();
        BenchmarkPipelines.require(pipeline.handle(BenchmarkPipelines.PROVIDER, first.request()), "processed", null);
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * The claim, with the delivery's set-up.
     *
     * @param delivery a new event
     * @return the answer ({@code processed})
     */
    @Benchmark
    public WebhookResult claimComplete(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }

    /**
     * The delivery's set-up alone, to subtract.
     *
     * @param delivery a new event
     * @return the delivery
     */
    @Benchmark
    public WebhookRequest deliveryOnly(NewStripeDelivery delivery) {
        return delivery.request();
    }
}
