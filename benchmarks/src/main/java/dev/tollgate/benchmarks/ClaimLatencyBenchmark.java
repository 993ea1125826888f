package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code claim_p50_1e4} and {@code claim_p50_1e6}: latency distribution (JMH sample time; the report
 * takes the median) of one claim + complete of a new event through Tollgate's transactional pipeline
 * ({@link BenchmarkPipelines#transactional}, as {@code pg_claim_complete}), one thread, with {@link #storedRows} processed
 * events already in {@code webhooks.events} (pre-filled with {@code generate_series}, random ids, then
 * {@code VACUUM ANALYZE}). The rows a measurement iteration inserts are deleted after it, so the table
 * stays near its set size. The ratio shows whether claims slow down as the table grows.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class ClaimLatencyBenchmark {

    /** Events stored before the measurement. */
    @Param({"10000", "1000000"})
    public long storedRows;

    private @Nullable HikariDataSource pool;
    private @Nullable WebhookPipeline pipeline;
    private @Nullable Timestamp iterationStart;

    /** Opens the pool, empties the table and pre-fills it. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("claim-latency", 2);
        EventsTable.reset(pool);
        EventsTable.prefill(pool, storedRows, Duration.ZERO, "latency");
        pipeline = BenchmarkPipelines.transactional(pool);
    }

    /** Notes when the iteration starts (database time). */
    @Setup(Level.Iteration)
    public void markIteration() {
        iterationStart = EventsTable.databaseNow(pool);
    }

    /** Deletes the events the iteration claimed. */
    @TearDown(Level.Iteration)
    public void deleteClaimed() {
        EventsTable.deleteReceivedSince(pool, iterationStart);
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * claim_p50_1e4 / claim_p50_1e6: a new event through the transactional pipeline.
     *
     * @param delivery the new event
     * @return the answer ({@code processed})
     */
    @Benchmark
    public WebhookResult claimComplete(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }
}
