package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.benchmarks.standin.ClaimOutcome;
import dev.tollgate.benchmarks.standin.StandInEventStore;
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
 * {@code pg_claim_complete}: Tollgate's PostgreSQL claim + complete of new events, in the pipeline's
 * transactional mode with a no-op handler, {@value #THREADS} threads sharing a HikariCP pool of
 * {@value #THREADS} connections on the local server, operations per second. Each event has a fresh random
 * id and the 2 KB fixture as payload. Compared with {@code pgbench} (8 clients, one
 * {@code INSERT … ON CONFLICT DO NOTHING} per transaction, same server) and with
 * {@link CamelJdbcBenchmark} (same threads, pool and duration).
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

    private static final Runnable NO_OP = () -> { };

    private @Nullable HikariDataSource pool;
    private @Nullable StandInEventStore store;
    private final String payload = StripeEventFixture.subscriptionUpdated("evt_1QbXyZ2eZvKYlo2CthroughputA");

    /** Opens the pool and empties {@code webhooks.events}. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("claim-throughput", THREADS);
        EventsTable.reset(pool);
        store = new StandInEventStore(pool);
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
     * @return the outcome (always PROCESSED: ids are fresh)
     */
    @Benchmark
    @StandIn("Tollgate's PostgresIdempotencyStore claim + complete in transactional mode, no-op handler")
    public ClaimOutcome claimComplete() {
        return store.claimAndComplete("stripe", EventIds.random(), StripeEventFixture.TYPE, payload, NO_OP);
    }
}
