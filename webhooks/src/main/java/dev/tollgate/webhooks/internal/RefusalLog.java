package dev.tollgate.webhooks.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs refused deliveries so that an operator sees them without a flood: the first refusal of each provider
 * and reason in a minute at WARN, the others at DEBUG (the pipeline's observer is told of every one). Only the
 * provider name (one the pipeline was configured with) and the reason code are written: never a header, a
 * signature or the body. Thread-safe.
 */
public final class RefusalLog {

    /** How long a provider and reason stay at DEBUG after a WARN. */
    public static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<String, AtomicLong> lastWarned = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    /** A log timed by {@link System#nanoTime()}. */
    public RefusalLog() {
        this(System::nanoTime);
    }

    /** @param nanoTime the monotonic time source, in nanoseconds */
    RefusalLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Logs one refusal.
     *
     * @param log where to write
     * @param provider the configured provider the delivery was for
     * @param reason the reason code
     * @return whether it was written at WARN
     */
    public boolean refused(Logger log, String provider, String reason) {
        long now = nanoTime.getAsLong();
        AtomicLong last = lastWarned.computeIfAbsent(provider + ' ' + reason, k -> new AtomicLong(now - QUIET_NANOS));
        long previous = last.get();
        if (now - previous >= QUIET_NANOS && last.compareAndSet(previous, now)) {
            log.warn("{} webhook delivery refused: {} (more of these within a minute are logged at DEBUG; a "
                    + "webhook observer, such as Tollgate's meters, is told of every one)", provider, reason);
            return true;
        }
        log.debug("{} webhook delivery refused: {}", provider, reason);
        return false;
    }
}
