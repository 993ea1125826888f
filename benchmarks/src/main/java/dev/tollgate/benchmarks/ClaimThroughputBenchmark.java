package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.webhooks.WebhookPipeline;
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
 * {@code pg_claim_complete}: Tollgate's PostgreSQL claim + complete of new events as users run it, through
 * {@link WebhookPipeline#handle} in transactional mode ({@code onTransactional} no-op handler,
 * {@code PostgresIdempotencyStore}; see {@link BenchmarkPipelines#transactional}), {@value #THREADS} threads sharing
 * a HikariCP pool of {@value #THREADS} connections on the local server, operations per second. Each event has
 * a fresh random id and the 2 KB fixture as payload, signed in an untimed per-invocation set-up
 * ({@link NewStripeDelivery}); the measured call verifies and parses it too, as every delivery is. Compared with
 * {@code pgbench} (8 clients, one {@code INSERT … ON CONFLICT DO NOTHING} per transaction, same server) and
 * with {@link CamelJdbcBenchmark} (same threads, pool and duration).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(ClaimThroughputBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class ClaimThroughputBenchmark {

    /** Client threads, as pgbench's clients. */
    public static final int THREADS = 8;

    private @Nullable HikariDataSource pool;
    private @Nullable WebhookPipeline pipeline;

    /** Opens the pool, empties {@code webhooks.events} and checks that a new event is processed. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("claim-throughput", THREADS);
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
     * pg_claim_complete.
     *
     * @param delivery this thread's new event
     * @return the answer ({@code processed}: ids are fresh)
     */
    @Benchmark
    public WebhookResult claimComplete(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }
}
