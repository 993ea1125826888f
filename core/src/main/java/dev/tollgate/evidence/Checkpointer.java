package dev.tollgate.evidence;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes signed checkpoints of evidence streams and writes each to every sink: on demand with
 * {@link #checkpointNow()}, and every {@code interval} between {@link #start()} and {@link #close()} on one daemon
 * thread it owns. A failing stream or sink is logged (without any key) and does not stop the others or later runs.
 *
 * <pre>{@code
 * try (Checkpointer checkpointer = Checkpointer.builder()
 *         .stream(consentRepository.evidence())
 *         .signer(CheckpointSigner.of("cp-2026", privateKey))
 *         .sink(new FileCheckpointSink(dir))
 *         .interval(Duration.ofMinutes(10)).clock(Clock.systemUTC()).build()) {
 *     checkpointer.start();
 *     …
 * }
 * }</pre>
 */
public final class Checkpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final List<EvidenceStream> streams;
    private final CheckpointSigner signer;
    private final List<CheckpointSink> sinks;
    private final Clock clock;
    private final Duration interval;
    private @Nullable ScheduledExecutorService scheduler;

    private Checkpointer(Builder b, CheckpointSigner signer, Clock clock, Duration interval) {
        this.streams = List.copyOf(b.streams);
        this.signer = signer;
        this.sinks = List.copyOf(b.sinks);
        this.clock = clock;
        this.interval = interval;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Signs the head of every stream now and writes it to every sink.
     *
     * @return the checkpoints, one per stream, in the order the streams were given
     * @throws RuntimeException from a stream or sink: the first failure, after every other write was tried
     */
    public List<SignedCheckpoint> checkpointNow() {
        List<SignedCheckpoint> out = new ArrayList<>();
        RuntimeException failure = null;
        for (EvidenceStream stream : streams) {
            try {
                SignedCheckpoint checkpoint = signer.sign(stream.head(), clock.instant());
                for (CheckpointSink sink : sinks) {
                    try {
                        sink.write(checkpoint);
                    } catch (RuntimeException e) {
                        failure = failure == null ? e : failure;
                        LOG.warn("tollgate.checkpoint.failed stream={} seq={} sink={}: {}", checkpoint.stream(),
                                checkpoint.seq(), sink, e.toString());
                    }
                }
                out.add(checkpoint);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                LOG.warn("tollgate.checkpoint.failed stream={}: {}", stream.name(), e.toString());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    /**
     * Starts taking a checkpoint of every stream every interval, the first one interval from now.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("this checkpointer was already started: close() it, build another one to"
                    + " start again");
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tollgate-checkpointer");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        s.scheduleWithFixedDelay(this::scheduledRun, millis, millis, TimeUnit.MILLISECONDS);
        scheduler = s;
    }

    private void scheduledRun() {
        try {
            checkpointNow();
        } catch (RuntimeException e) {
            // already logged per stream and sink; the next run tries again
        }
    }

    /** Stops the periodic checkpoints, waiting for a running one to finish. */
    @Override
    public synchronized void close() {
        ScheduledExecutorService s = scheduler;
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            s.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Checkpointer[" + streams.stream().map(EvidenceStream::name).toList() + ", " + signer + ", every "
                + interval + "]";
    }

    /** Builds a {@link Checkpointer}; {@link #build()} reports every problem at once. */
    public static final class Builder {

        private final List<EvidenceStream> streams = new ArrayList<>();
        private final List<CheckpointSink> sinks = new ArrayList<>();
        private @Nullable CheckpointSigner signer;
        private @Nullable Clock clock;
        private @Nullable Duration interval;

        private Builder() {
        }

        /**
         * @param stream a stream to checkpoint (add each once)
         * @return this builder
         */
        public Builder stream(EvidenceStream stream) {
            streams.add(Objects.requireNonNull(stream, "stream"));
            return this;
        }

        /**
         * @param signer the signer
         * @return this builder
         */
        public Builder signer(CheckpointSigner signer) {
            this.signer = Objects.requireNonNull(signer, "signer");
            return this;
        }

        /**
         * @param sink a sink every checkpoint is written to
         * @return this builder
         */
        public Builder sink(CheckpointSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * @param clock the clock stamped on checkpoints
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param interval the time between periodic checkpoints, at least one second
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * @return the checkpointer
         * @throws IllegalStateException naming every missing or invalid setting
         */
        public Checkpointer build() {
            List<String> problems = new ArrayList<>();
            if (streams.isEmpty()) {
                problems.add("no stream: add .stream(repository.evidence())");
            }
            if (streams.stream().map(EvidenceStream::name).distinct().count() != streams.size()) {
                problems.add("a stream was added twice: " + streams.stream().map(EvidenceStream::name).toList());
            }
            if (signer == null) {
                problems.add("no signer: .signer(CheckpointSigner.of(keyId, ed25519PrivateKey))");
            }
            if (sinks.isEmpty()) {
                problems.add("no sink: add .sink(new FileCheckpointSink(dir)) or .sink(new LogCheckpointSink())");
            }
            if (clock == null) {
                problems.add("no clock: .clock(Clock.systemUTC())");
            }
            if (interval == null) {
                problems.add("no interval: .interval(Duration.ofMinutes(10))");
            } else if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("interval must be at least 1 s, but was " + interval);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("invalid checkpointer: " + String.join("; ", problems));
            }
            return new Checkpointer(this, Objects.requireNonNull(signer), Objects.requireNonNull(clock),
                    Objects.requireNonNull(interval));
        }
    }
}
