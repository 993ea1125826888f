package dev.tollgate.webhooks.internal;

import dev.tollgate.webhooks.IdempotencyStoreException;
import dev.tollgate.webhooks.WebhookEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for the asynchronous intake, done by the client: deliveries that arrive together are stored with
 * one multi-row statement and one commit ({@link PostgresEventQueue#enqueueAll}), and each caller returns only
 * once the statement that carried its event committed — so a 200 is never answered for a row that is not durable.
 *
 * <p>No thread of its own: the callers do the work. The first caller to find nobody collecting becomes the
 * collector: it waits up to the window for more events (or until {@code maxEvents} are waiting), then for one of
 * {@code maxConcurrentWrites} write slots (the pipeline uses one) — events keep joining while it waits, which is what
 * makes batches grow under load — takes up to {@code maxEvents} waiting events and writes them, the collector role
 * passing at once to the first event left waiting (if any), whose caller then collects the next batch. Every other caller parks until
 * its event's batch is written. A caller is never answered before its own batch is, and a failed batch fails
 * exactly the events it carried.
 *
 * <p>With {@code maxEvents == 1} every event is written on its own, on its caller's thread, as before group commit.
 */
public final class GroupCommit {

    private final PostgresEventQueue queue;
    private final int maxEvents;
    private final long windowNanos;
    private final Semaphore writeSlots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition full = lock.newCondition();
    /** Events not taken by a batch yet; non-empty only while someone collects (guarded by lock). */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /** Whether a caller is collecting the next batch (guarded by lock). */
    private boolean collecting;

    /**
     * Creates the group commit.
     *
     * @param queue where the events go
     * @param maxEvents the most events in one statement, 1 to {@link PostgresEventQueue#MAX_ROWS_PER_STATEMENT}
     * @param window how long a collector waits for more events, zero or positive
     * @param maxConcurrentWrites how many batches may be written at once, at least 1
     */
    public GroupCommit(PostgresEventQueue queue, int maxEvents, Duration window, int maxConcurrentWrites) {
        this.queue = Objects.requireNonNull(queue, "queue");
        if (maxEvents < 1 || maxEvents > PostgresEventQueue.MAX_ROWS_PER_STATEMENT) {
            throw new IllegalArgumentException("maxEvents must be 1 to " + PostgresEventQueue.MAX_ROWS_PER_STATEMENT
                    + ", but was " + maxEvents);
        }
        if (Objects.requireNonNull(window, "window").isNegative()) {
            throw new IllegalArgumentException("window must not be negative, but was " + window);
        }
        if (maxConcurrentWrites < 1) {
            throw new IllegalArgumentException("maxConcurrentWrites must be at least 1, but was " + maxConcurrentWrites);
        }
        this.maxEvents = maxEvents;
        this.windowNanos = window.toNanos();
        this.writeSlots = new Semaphore(maxConcurrentWrites);
    }

    /**
     * Stores an event as {@code pending}, in a batch with whatever arrives with it.
     *
     * @param event the verified event
     * @param payload its raw body
     * @return whether the event was new (stored now); {@code false} when it was known already
     * @throws IdempotencyStoreException when the batch that carried it could not be stored (nothing of it committed)
     */
    public boolean enqueue(WebhookEvent event, byte[] payload) {
        if (maxEvents == 1) {
            return queue.enqueue(event, payload);
        }
        Waiter mine = new Waiter(new PostgresEventQueue.Pending(event, payload), Thread.currentThread());
        boolean collect;
        lock.lock();
        try {
            waiting.addLast(mine);
            collect = !collecting;
            collecting = true;
            if (!collect && waiting.size() >= maxEvents) {
                full.signal();
            }
        } finally {
            lock.unlock();
        }
        if (collect) {
            collectAndWrite();
        }
        boolean interrupted = false;
        while (true) {
            int state = mine.state;
            if (state == Waiter.DONE) {
                break;
            }
            if (state == Waiter.COLLECT) {
                mine.state = Waiter.WAITING;
                collectAndWrite();
                continue;
            }
            LockSupport.park(this);
            // an interrupt cannot abandon the event: its batch may commit, and the answer must say so
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.stored;
    }

    /**
     * The collector's turn: its own event heads the queue, so it is in the batch taken here.
     */
    private void collectAndWrite() {
        long deadline = System.nanoTime() + windowNanos;
        lock.lock();
        try {
            while (waiting.size() < maxEvents) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                full.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // restored for the caller; the batch is written all the same
        } finally {
            lock.unlock();
        }
        writeSlots.acquireUninterruptibly();
        List<Waiter> batch;
        try {
            lock.lock();
            try {
                int size = Math.min(maxEvents, waiting.size());
                batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add(waiting.removeFirst());
                }
                Waiter next = waiting.peekFirst();
                if (next == null) {
                    collecting = false;
                } else {
                    next.promote();
                }
            } finally {
                lock.unlock();
            }
            write(batch);
        } finally {
            writeSlots.release();
        }
    }

    private void write(List<Waiter> batch) {
        List<PostgresEventQueue.Pending> events = new ArrayList<>(batch.size());
        batch.forEach(waiter -> events.add(waiter.pending));
        List<PostgresEventQueue.Outcome> outcomes = null;
        IdempotencyStoreException failure = null;
        RuntimeException unexpected = null;
        try {
            outcomes = queue.enqueueAll(events);
        } catch (IdempotencyStoreException e) {
            failure = e;
        } catch (RuntimeException e) {
            unexpected = e;
        } catch (Error e) {
            finish(batch, null, null, new IllegalStateException("storing pending events", e)); // nobody waits forever
            throw e;
        }
        finish(batch, outcomes, failure, unexpected);
    }

    private static void finish(List<Waiter> batch, @Nullable List<PostgresEventQueue.Outcome> outcomes,
                               @Nullable IdempotencyStoreException failure, @Nullable RuntimeException unexpected) {
        for (int i = 0; i < batch.size(); i++) {
            Waiter waiter = batch.get(i);
            if (outcomes != null) {
                PostgresEventQueue.Outcome outcome = outcomes.get(i);
                waiter.done(outcome.stored(), outcome.failure(), null);
            } else {
                waiter.done(false, failure, unexpected);
            }
        }
    }

    /** One caller's event and how it ended. */
    private static final class Waiter {

        static final int WAITING = 0;
        static final int COLLECT = 1;
        static final int DONE = 2;

        final PostgresEventQueue.Pending pending;
        final Thread thread;
        volatile int state = WAITING;
        boolean stored;
        @Nullable RuntimeException failure;

        Waiter(PostgresEventQueue.Pending pending, Thread thread) {
            this.pending = pending;
            this.thread = thread;
        }

        void promote() {
            state = COLLECT;
            LockSupport.unpark(thread);
        }

        void done(boolean stored, @Nullable IdempotencyStoreException failure, @Nullable RuntimeException unexpected) {
            this.stored = stored;
            this.failure = failure != null ? failure : unexpected;
            state = DONE; // the volatile write publishes the two fields above
            LockSupport.unpark(thread);
        }
    }
}
