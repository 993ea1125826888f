package dev.tollgate.health.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a health registry owns: an unbounded pool for checks (at most one running check per
 * contributor, so bounded by the number of contributors) and one scheduler thread for timeouts and
 * background refreshes.
 */
public final class HealthThreads implements AutoCloseable {

    private static final AtomicInteger REGISTRIES = new AtomicInteger();

    private final ExecutorService checks;
    private final ScheduledThreadPoolExecutor scheduler;

    /** Creates the pools; threads start lazily. */
    public HealthThreads() {
        int id = REGISTRIES.incrementAndGet();
        this.checks = Executors.newCachedThreadPool(factory("tollgate-health-" + id + "-check-"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, factory("tollgate-health-" + id + "-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Runs a check.
     *
     * @param task the check
     * @throws IllegalStateException if closed
     */
    void execute(Runnable task) {
        try {
            checks.execute(task);
        } catch (RejectedExecutionException e) {
            throw closed(e);
        }
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw closed(e);
        }
    }

    ScheduledFuture<?> repeat(Runnable task, Duration every) {
        try {
            return scheduler.scheduleWithFixedDelay(task, 0, every.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw closed(e);
        }
    }

    private static IllegalStateException closed(RejectedExecutionException e) {
        return new IllegalStateException("the health registry is closed: build a new one", e);
    }

    /** @return whether {@link #close()} was called */
    boolean closed() {
        return checks.isShutdown();
    }

    /** Stops both pools, interrupting running checks. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        checks.shutdownNow();
    }

    private static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
