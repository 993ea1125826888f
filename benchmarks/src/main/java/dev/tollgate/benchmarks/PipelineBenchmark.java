package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.benchmarks.standin.ClaimOutcome;
import dev.tollgate.benchmarks.standin.StandInEventParser;
import dev.tollgate.benchmarks.standin.StandInEventStore;
import dev.tollgate.benchmarks.standin.StandInStripeVerifier;
import dev.tollgate.benchmarks.standin.StandInWebhookPipeline;
import java.time.Clock;
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
 * {@code pipeline_new} and {@code pipeline_duplicate}: one Stripe delivery through the whole webhook
 * pipeline (verify → parse → claim → no-op handler → complete) on the local PostgreSQL, time per operation,
 * one thread. {@link #newEvent} delivers an event never seen before (signed in an untimed per-invocation
 * set-up); {@link #duplicateEvent} re-delivers one already processed, which the pipeline must skip. Their
 * ratio shows how much cheaper the duplicate path is.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class PipelineBenchmark {

    private @Nullable HikariDataSource pool;
    private @Nullable StandInWebhookPipeline pipeline;
    private final String duplicatePayload = StripeEventFixture.subscriptionUpdated("evt_1QbXyZ2eZvKYlo2CalreadySeen");
    private String duplicateHeader = "";

    /** A delivery of a new event, prepared outside the measured time. */
    @State(Scope.Thread)
    public static class NewDelivery {
        private String payload = "";
        private String header = "";

        /** Builds and signs a new event. */
        @Setup(Level.Invocation)
        public void prepare() {
            payload = StripeEventFixture.subscriptionUpdated(EventIds.random());
            header = StripeEventFixture.signatureHeader(payload, System.currentTimeMillis() / 1000,
                    StripeEventFixture.SECRET);
        }
    }

    /** Opens the pool, empties the table, and processes the event that is later re-delivered. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("pipeline", 2);
        EventsTable.reset(pool);
        pipeline = new StandInWebhookPipeline(
                new StandInStripeVerifier(StripeEventFixture.SECRET, 300, Clock.systemUTC()),
                new StandInEventParser(), new StandInEventStore(pool));
        signDuplicate();
        if (pipeline.handle(duplicatePayload, duplicateHeader) != ClaimOutcome.PROCESSED
                || pipeline.handle(duplicatePayload, duplicateHeader) != ClaimOutcome.SKIPPED) {
            throw new IllegalStateException("the pipeline does not process a new event then skip its duplicate");
        }
    }

    /** Re-signs the duplicate with the current time, so that it stays within the tolerance. */
    @Setup(Level.Iteration)
    public void signDuplicate() {
        duplicateHeader = StripeEventFixture.signatureHeader(duplicatePayload, System.currentTimeMillis() / 1000,
                StripeEventFixture.SECRET);
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
     * @return PROCESSED
     */
    @Benchmark
    @StandIn("Tollgate's webhook pipeline (Stripe verifier, PostgreSQL store, transactional mode, no-op handler)")
    public ClaimOutcome newEvent(NewDelivery delivery) {
        return pipeline.handle(delivery.payload, delivery.header);
    }

    /**
     * pipeline_duplicate.
     *
     * @return SKIPPED
     */
    @Benchmark
    @StandIn("Tollgate's webhook pipeline, same set-up, re-delivering an event already processed")
    public ClaimOutcome duplicateEvent() {
        return pipeline.handle(duplicatePayload, duplicateHeader);
    }
}
