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
 * {@code pipeline_new}, {@code pipeline_duplicate} and {@code pipeline_duplicate_store}: one Stripe delivery
 * through Tollgate's whole webhook pipeline (verify → parse → claim → no-op handler → complete;
 * {@link BenchmarkPipelines#transactional}) on the local PostgreSQL, time per operation, one thread.
 * {@link #newEvent} delivers an event never seen before (signed in an untimed per-invocation set-up,
 * {@link NewStripeDelivery}); {@link #duplicateEvent} re-delivers one already processed, which the pipeline
 * must skip — with the default duplicate cache, which remembers the events this pipeline processed, as a
 * provider's retry to the same replica finds it; {@link #duplicateEventAskingStore} re-delivers it to a
 * pipeline without the cache, as a retry that lands on another replica, so the store answers. The ratios
 * show how much cheaper the duplicate paths are.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class PipelineBenchmark {

    private @Nullable HikariDataSource pool;
    private @Nullable WebhookPipeline pipeline;
    private @Nullable WebhookPipeline otherReplica;
    private final String duplicatePayload = StripeEventFixture.subscriptionUpdated("evt_1QbXyZ2eZvKYlo2CalreadySeen");
    private WebhookRequest duplicate = BenchmarkPipelines.request("{}", "");

    /** Opens the pool, empties the table, and processes the event that is later re-delivered. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("pipeline", 2);
        EventsTable.reset(pool);
        pipeline = BenchmarkPipelines.transactional(pool);
        otherReplica = BenchmarkPipelines.transactionalWithoutDuplicateCache(pool);
        signDuplicate();
        BenchmarkPipelines.require(duplicateEvent(), "processed", null);
        BenchmarkPipelines.require(duplicateEvent(), "skipped", "already_processed");
        BenchmarkPipelines.require(duplicateEventAskingStore(), "skipped", "already_processed");
    }

    /** Re-signs the duplicate with the current time, so that it stays within the tolerance. */
    @Setup(Level.Iteration)
    public void signDuplicate() {
        duplicate = BenchmarkPipelines.request(duplicatePayload, StripeEventFixture.signatureHeader(duplicatePayload,
                System.currentTimeMillis() / 1000, StripeEventFixture.SECRET));
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * pipeline_new.
     *
     * @param delivery the new event
     * @return {@code processed}
     */
    @Benchmark
    public WebhookResult newEvent(NewStripeDelivery delivery) {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, delivery.request());
    }

    /**
     * pipeline_duplicate.
     *
     * @return {@code skipped/already_processed}
     */
    @Benchmark
    public WebhookResult duplicateEvent() {
        return pipeline.handle(BenchmarkPipelines.PROVIDER, duplicate);
    }

    /**
     * pipeline_duplicate_store.
     *
     * @return {@code skipped/already_processed}, answered by the store
     */
    @Benchmark
    public WebhookResult duplicateEventAskingStore() {
        return otherReplica.handle(BenchmarkPipelines.PROVIDER, duplicate);
    }
}
