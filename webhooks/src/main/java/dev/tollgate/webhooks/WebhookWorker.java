package dev.tollgate.webhooks;

import dev.tollgate.webhooks.internal.OutageLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of threads processing the pending events of an {@link AsyncWebhookPipeline}. Create it with
 * {@link AsyncWebhookPipeline#newWorker()}. Nothing runs until {@link #start()}; {@link #close()} stops
 * claiming new events and waits for the events in flight to finish (up to the shutdown timeout, then
 * it interrupts the handlers; an interrupted event's lease expires and it is retried).
 *
 * <p>Every business time — what is due, lease expiry, backoff — comes from the pipeline's
 * {@link java.time.Clock}. Only the idle wait between polls and the shutdown timeout are real elapsed
 * time, because they make a thread wait.
 *
 * <p>While its handlers run, a heartbeat thread ({@code tollgate-webhook-lease-renewal}) extends the leases the
 * worker holds every third of the lease, so a handler may outlast the lease without another worker taking its
 * event, while the events of a worker that crashed ({@code kill -9}, a lost node) move to another worker within
 * one lease. {@link #runOnce()} alone has no heartbeat: its handlers must finish within the lease.
 *
 * <p>While the database is unreachable the threads keep polling at the poll interval and resume
 * processing when it is back; nothing is lost, because events stay {@code pending} or their lease
 * expires.
 */
public final class WebhookWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookWorker.class);

    private enum Phase { NEW, RUNNING, CLOSED }

    private final AsyncWebhookPipeline pipeline;
    private final int threads;
    private final Duration pollInterval;
    private final Duration shutdownTimeout;
    private final Object signal = new Object();
    private final List<Thread> running = new ArrayList<>();
    private final OutageLog outage = new OutageLog("webhook worker");
    private final OutageLog renewals = new OutageLog("webhook worker lease renewal");
    private Phase phase = Phase.NEW; // guarded by signal
    private long wakeups; // guarded by signal
    private boolean renewing; // guarded by signal: the heartbeat outlives RUNNING until in-flight work is done
    private @Nullable Thread renewal; // guarded by signal

    WebhookWorker(AsyncWebhookPipeline pipeline, int threads, Duration pollInterval, Duration shutdownTimeout) {
        this.pipeline = pipeline;
        this.threads = threads;
        this.pollInterval = pollInterval;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Starts the threads ({@code tollgate-webhook-worker-<n>} and the lease heartbeat). They are not daemon
     * threads: close the worker when the service shuts down.
     *
     * @throws IllegalStateException if the worker was started or closed before
     */
    public void start() {
        synchronized (signal) {
            if (phase != Phase.NEW) {
                throw new IllegalStateException("a WebhookWorker starts once; this one is " + phase
                        + ": create another with pipeline.newWorker()");
            }
            phase = Phase.RUNNING;
            pipeline.register(this);
            for (int i = 0; i < threads; i++) {
                Thread thread = new Thread(this::loop, "tollgate-webhook-worker-" + i);
                thread.setDaemon(false);
                running.add(thread);
                thread.start();
            }
            renewing = true;
            renewal = new Thread(this::renewLoop, "tollgate-webhook-lease-renewal");
            renewal.setDaemon(false);
            renewal.start();
        }
    }

    /**
     * Claims one batch of due events and processes it on the calling thread, whether or not the worker
     * threads run. Useful for a scheduled job and for tests.
     *
     * @return how many events were claimed (0 when nothing was due)
     * @throws IdempotencyStoreException when the database cannot be used
     */
    public int runOnce() {
        return pipeline.processBatch();
    }

    /** @return whether the threads were started and the worker is not closed */
    public boolean isRunning() {
        synchronized (signal) {
            return phase == Phase.RUNNING;
        }
    }

    /** Wakes idle threads: new work was stored. */
    void wake() {
        synchronized (signal) {
            wakeups++;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (true) {
            long seen;
            synchronized (signal) {
                if (phase != Phase.RUNNING) {
                    return;
                }
                seen = wakeups;
            }
            int claimed;
            try {
                claimed = pipeline.processBatch();
                outage.succeeded(LOG);
            } catch (IdempotencyStoreException e) {
                outage.failed(LOG, e, "retrying every " + pollInterval);
                claimed = 0;
            } catch (RuntimeException e) {
                LOG.error("webhook worker: unexpected failure; retrying in {}", pollInterval, e);
                claimed = 0;
            }
            if (claimed == 0 && !idle(seen)) {
                return;
            }
        }
    }

    /** The heartbeat: renews the pipeline's leases in flight every third of the lease until stopped. */
    private void renewLoop() {
        Duration interval = pipeline.renewalInterval();
        while (true) {
            long deadline = System.nanoTime() + interval.toNanos();
            synchronized (signal) {
                while (renewing) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(signal, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (!renewing) {
                    return;
                }
            }
            try {
                pipeline.renewLeases();
                renewals.succeeded(LOG);
            } catch (IdempotencyStoreException e) {
                renewals.failed(LOG, e, "leases are not renewed: events in flight may move to another worker when"
                        + " their lease runs out");
            } catch (RuntimeException e) {
                LOG.error("webhook worker: unexpected failure renewing leases", e);
            }
        }
    }

    /** Waits for the poll interval or a wake-up; returns false when the thread must stop. */
    private boolean idle(long seen) {
        long deadline = System.nanoTime() + pollInterval.toNanos();
        synchronized (signal) {
            while (phase == Phase.RUNNING && wakeups == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return phase == Phase.RUNNING;
        }
    }

    /**
     * Stops claiming, waits for in-flight events to finish (interrupting handlers after the shutdown
     * timeout), and joins the threads. Idempotent.
     */
    @Override
    public void close() {
        List<Thread> threadsToJoin;
        synchronized (signal) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
            signal.notifyAll();
            threadsToJoin = List.copyOf(running);
            running.clear();
        }
        pipeline.unregister(this);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        boolean interrupted = false;
        for (Thread thread : threadsToJoin) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
                if (thread.isAlive()) {
                    LOG.warn("webhook worker thread {} did not finish within {}; interrupting it", thread.getName(),
                            shutdownTimeout);
                    thread.interrupt();
                    thread.join();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        stopRenewal();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the heartbeat once no handler runs any more (it kept their leases alive while they drained). */
    private void stopRenewal() {
        Thread heartbeat;
        synchronized (signal) {
            renewing = false;
            signal.notifyAll();
            heartbeat = renewal;
            renewal = null;
        }
        if (heartbeat != null) {
            boolean interrupted = false;
            while (heartbeat.isAlive()) {
                try {
                    heartbeat.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        synchronized (signal) {
            return "WebhookWorker[threads=" + threads + ", " + phase + "]";
        }
    }
}
