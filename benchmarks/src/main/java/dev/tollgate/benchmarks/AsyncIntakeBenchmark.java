package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code async_intake} and {@code async_intake_p99}: the asynchronous intake as users run it,
 * {@link AsyncWebhookPipeline#handle} with its default group commit ({@link BenchmarkPipelines#async}), under
 * {@value #THREADS} concurrent deliveries (an HTTP server's request threads) sharing a HikariCP pool of
 * {@value #POOL} connections. Each delivery is a new event (fresh random id, the 2 KB fixture) signed in an untimed
 * per-invocation set-up ({@link NewStripeDelivery}); the measured call verifies, parses and returns once the
 * event's {@code pending} row has committed — one durable row per delivery, as pgbench's one-row transactions.
 * No worker runs: this is the intake alone. The table is emptied after each iteration (untimed), so every
 * iteration starts from the same table.
 */
@State(Scope.Benchmark)
@Threads(AsyncIntakeBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class AsyncIntakeBenchmark {

    /** Concurrent deliveries. */
    public static final int THREADS = 32;
    /** Pool connections (a batch takes one; at most two batches are written at once). */
    public static final int POOL = 8;

    private @Nullable HikariDataSource pool;
    private @Nullable AsyncWebhookPipeline pipeline;

    /** Opens the pool, empties {@code webhooks.events} and checks that a new event is queued. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("async-intake", POOL);
        EventsTable.reset(pool);
        pipeline = BenchmarkPipelines.async(pool);
        NewStripeDelivery first = new NewStripeDelivery();
        first.prepare();
        BenchmarkPipelines.require(pipeline.handle(BenchmarkPipelines.PROVIDER, first.request()), "queued", null);
    }

    /** Empties the table, so each iteration writes into the same table size. */
    @TearDown(Level.Iteration)
    public void emptyTable() {
        EventsTable.reset(pool);
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * async_intake: deliveries stored per second.
     *
     * @param delivery this thread's new event
     * @return the answer ({@code queued}: ids are fresh)
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public WebhookResult intake(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }

    /**
     * async_intake_p99: the same, as a latency distribution (the report takes the 99th percentile).
     *
     * @param delivery this thread's new event
     * @return the answer
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public WebhookResult intakeLatency(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }
}
