package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@code claim_p99_idle_partitioned} and {@code claim_p99_during_retention}: latency distribution (JMH sample
 * time; the report takes the 99th percentile) of one claim + complete of a new event through the transactional
 * pipeline, one thread, on {@code webhooks.events} partitioned by day and holding {@link #rows} processed events
 * spread over the {@value #DAYS} days before today (10⁷ by default: a busy service keeping 90 days). With
 * {@link #retention}, a second thread runs {@link PostgresIdempotencyStore#purge(java.time.Instant)} once a
 * second with a cut-off one day later each time, so that every call drops the oldest day's partition (about
 * {@code rows / 90} rows) while claims go on; each iteration's tear-down prints the days dropped and the
 * slowest and mean purge ({@code retention: …}), the "drop a day" figure. Run it on a server with
 * {@code synchronous_commit=on}, the production setting.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class PartitionRetentionBenchmark {

    /** Days of events kept. */
    public static final int DAYS = 90;

    /** Rows pre-filled, spread over {@value #DAYS} days. */
    @Param({"1000000", "10000000"})
    public long rows;

    /** Whether retention drops a day's partition every second during the measurement. */
    @Param({"false", "true"})
    public boolean retention;

    private @Nullable HikariDataSource pool;
    private @Nullable HikariDataSource retentionPool;
    private @Nullable WebhookPipeline pipeline;
    private @Nullable PostgresIdempotencyStore retentionStore;
    private @Nullable Timestamp iterationStart;
    private @Nullable Thread dropper;
    private volatile boolean dropping;
    private LocalDate nextCutoffDay = LocalDate.EPOCH;
    private final AtomicLong drops = new AtomicLong();
    private final AtomicLong rowsDropped = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicLong totalNanos = new AtomicLong();

    /** Opens the pools and fills the table (untimed; minutes at 10⁷ rows). */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("claim-retention", 2);
        retentionPool = BenchmarkDatabase.pool("retention", 1);
        EventsTable.migrate(pool); // no TRUNCATE: the days the other trial filled are kept
        long start = System.nanoTime();
        LocalDate oldest = EventsTable.prefillDays(pool, rows, DAYS, "retention");
        System.out.printf("pre-filled %,d rows over %d days in %.1f s%n", EventsTable.count(pool), DAYS,
                (System.nanoTime() - start) / 1e9);
        EventsTable.checkpoint(pool);
        nextCutoffDay = oldest.plusDays(1);
        pipeline = BenchmarkPipelines.transactional(pool);
        retentionStore = PostgresIdempotencyStore.create(retentionPool);
    }

    /** Notes the start time and starts the retention thread if {@link #retention}. */
    @Setup(Level.Iteration)
    public void startIteration() {
        iterationStart = EventsTable.databaseNow(pool);
        drops.set(0);
        rowsDropped.set(0);
        slowestNanos.set(0);
        totalNanos.set(0);
        if (retention) {
            dropping = true;
            Thread thread = new Thread(this::dropDays, "bench-retention");
            thread.setDaemon(true);
            thread.start();
            dropper = thread;
        }
    }

    private void dropDays() {
        while (dropping && nextCutoffDay.isBefore(LocalDate.now(ZoneOffset.UTC).minusDays(2))) {
            long start = System.nanoTime();
            int removed = retentionStore.purge(nextCutoffDay.atStartOfDay().toInstant(ZoneOffset.UTC));
            long took = System.nanoTime() - start;
            nextCutoffDay = nextCutoffDay.plusDays(1);
            drops.incrementAndGet();
            rowsDropped.addAndGet(removed);
            totalNanos.addAndGet(took);
            slowestNanos.accumulateAndGet(took, Math::max);
            try {
                Thread.sleep(Math.max(0, 1000 - took / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops the retention thread, reports what it did, and deletes the events the iteration claimed. */
    @TearDown(Level.Iteration)
    public void endIteration() throws InterruptedException {
        Thread thread = dropper;
        if (thread != null) {
            dropping = false;
            thread.join();
            dropper = null;
            long n = drops.get();
            System.out.printf("retention: %d day(s) dropped (%,d rows), slowest purge %.1f ms, mean %.1f ms%n", n,
                    rowsDropped.get(), slowestNanos.get() / 1e6, n == 0 ? 0.0 : totalNanos.get() / 1e6 / n);
        }
        // the claimed events: their fixture's creation day is older than every pre-filled day, so the DELETE
        // reads one partition, not 10⁷ rows
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM webhooks.events WHERE event_day < ? AND received_at >= ?")) {
            s.setObject(1, LocalDate.now(ZoneOffset.UTC).minusDays(DAYS + 1L));
            s.setTimestamp(2, iterationStart);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete the claimed events: " + e.getMessage(), e);
        }
    }

    /** Closes the pools. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (retentionPool != null) {
            retentionPool.close();
        }
    }

    /**
     * claim_p99_idle_partitioned / claim_p99_during_retention: a new event through the transactional pipeline.
     *
     * @param delivery the new event
     * @return the answer ({@code processed})
     */
    @Benchmark
    public WebhookResult claimComplete(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }
}
