package dev.tollgate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A background thread that purges old processed events in batches, back to back, as a retention job
 * would, for as long as it runs: {@code DELETE … WHERE (provider, event_id) IN (SELECT … WHERE
 * state = 'processed' AND processed_at < now() - retention ORDER BY processed_at LIMIT batch)}, each batch its
 * own transaction. It deletes the rows Tollgate's {@code PostgresIdempotencyStore.purge(olderThan)} deletes,
 * through the same partial index ({@code events_processed_idx}), but in batches: that purge is one
 * unbounded {@code DELETE}, which a retention job on a large table would not run back to back.
 * Started and stopped explicitly; {@link #close()} stops it and waits for it.
 */
public final class PurgeLoad implements AutoCloseable {

    private static final String PURGE_BATCH = """
            DELETE FROM webhooks.events
             WHERE (provider, event_id) IN (
                   SELECT provider, event_id FROM webhooks.events
                    WHERE state = 'processed' AND processed_at < now() - ? * interval '1 second'
                    ORDER BY processed_at
                    LIMIT ?)""";

    private final DataSource dataSource;
    private final int batchSize;
    private final Thread thread;
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong emptyBatches = new AtomicLong();
    private volatile boolean running = true;
    private volatile @Nullable RuntimeException failure;

    private PurgeLoad(DataSource dataSource, int batchSize) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
        this.thread = new Thread(this::run, "bench-purge");
        this.thread.setDaemon(true);
    }

    /**
     * Starts purging.
     *
     * @param dataSource the benchmark database (the purge holds one connection while it runs)
     * @param batchSize rows per DELETE
     * @return the running load
     */
    public static PurgeLoad start(DataSource dataSource, int batchSize) {
        Objects.requireNonNull(dataSource, "dataSource");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, but was " + batchSize);
        }
        PurgeLoad load = new PurgeLoad(dataSource, batchSize);
        load.thread.start();
        return load;
    }

    private void run() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PURGE_BATCH)) {
            c.setAutoCommit(true);
            ps.setLong(1, EventsTable.RETENTION.toSeconds());
            ps.setInt(2, batchSize);
            while (running) {
                int n = ps.executeUpdate();
                deleted.addAndGet(n);
                batches.incrementAndGet();
                if (n == 0) {
                    emptyBatches.incrementAndGet();
                }
            }
        } catch (SQLException e) {
            failure = new IllegalStateException("purge failed: " + e.getMessage(), e);
        }
    }

    /** @return rows deleted so far */
    public long deleted() {
        return deleted.get();
    }

    /** @return DELETE statements run so far */
    public long batches() {
        return batches.get();
    }

    /** @return DELETE statements that found nothing old to delete (the purge ran dry) */
    public long emptyBatches() {
        return emptyBatches.get();
    }

    /**
     * Stops the purge after its current batch and waits for it.
     *
     * @throws IllegalStateException if a batch failed
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the purge", e);
        }
        RuntimeException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }
}
