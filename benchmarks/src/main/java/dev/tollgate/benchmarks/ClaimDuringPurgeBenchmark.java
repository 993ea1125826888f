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
 * {@code claim_p99_idle} and {@code claim_p99_during_purge}: latency distribution (JMH sample time; the
 * report takes the 99th percentile) of one claim + complete of a new event through Tollgate's transactional
 * pipeline ({@link BenchmarkPipelines#transactional}, as {@code pg_claim_complete}), one thread, on a table of
 * {@value #RECENT_ROWS} recent and {@value #OLD_ROWS} purgeable (40-day-old) processed events; with
 * {@link #purging} the {@link PurgeLoad} deletes old rows in batches of {@value #PURGE_BATCH}, back to back,
 * on its own connection during every measurement iteration. Before each iteration the purgeable rows are
 * topped up to {@value #OLD_ROWS} (untimed), so both variants start every iteration on the same table;
 * after it, the claimed rows are deleted. If the purge ever runs dry the tear-down says so on stdout.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class ClaimDuringPurgeBenchmark {

    /** Recent events, never purged. */
    public static final long RECENT_ROWS = 10_000;
    /** Purgeable events at the start of every iteration. */
    public static final long OLD_ROWS = 500_000;
    /** Rows per purge DELETE. */
    public static final int PURGE_BATCH = 500;

    /** Whether a purge runs during the measurement. */
    @Param({"false", "true"})
    public boolean purging;

    private @Nullable HikariDataSource pool;
    private @Nullable HikariDataSource purgePool;
    private @Nullable WebhookPipeline pipeline;
    private @Nullable Timestamp iterationStart;
    private @Nullable PurgeLoad purge;
    private int topUps;

    /** Opens the pools and fills the table. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("claim-purge", 2);
        purgePool = BenchmarkDatabase.pool("purge", 1);
        EventsTable.reset(pool);
        EventsTable.prefill(pool, RECENT_ROWS, Duration.ZERO, "recent");
        pipeline = BenchmarkPipelines.transactional(pool);
    }

    /** Tops up the purgeable rows, notes the start time and starts the purge if {@link #purging}. */
    @Setup(Level.Iteration)
    public void startIteration() {
        long missing = OLD_ROWS - EventsTable.countPurgeable(pool);
        if (missing > 0) {
            EventsTable.prefill(pool, missing, Duration.ofDays(40), "old-" + topUps++);
        }
        iterationStart = EventsTable.databaseNow(pool);
        if (purging) {
            purge = PurgeLoad.start(purgePool, PURGE_BATCH);
        }
    }

    /** Stops the purge, reports what it did, and deletes the events the iteration claimed. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        PurgeLoad running = purge;
        if (running != null) {
            running.close();
            purge = null;
            System.out.println("purge: " + running.deleted() + " rows in " + running.batches() + " batches"
                    + (running.emptyBatches() > 0 ? ", RAN DRY in " + running.emptyBatches()
                            + " batches: raise OLD_ROWS" : ""));
        }
        EventsTable.deleteReceivedSince(pool, iterationStart);
    }

    /** Closes the pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (purgePool != null) {
            purgePool.close();
        }
    }

    /**
     * claim_p99_idle / claim_p99_during_purge: a new event through the transactional pipeline.
     *
     * @param delivery the new event
     * @return the answer ({@code processed})
     */
    @Benchmark
    public WebhookResult claimComplete(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }
}
