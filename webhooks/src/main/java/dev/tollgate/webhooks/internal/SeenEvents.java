package dev.tollgate.webhooks.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline's duplicate cache: a bounded, expiring set of {@code (provider, event id)} keys whose store
 * state this process has seen become final — {@code processed} in synchronous mode, stored at all in
 * asynchronous mode. A delivery whose key is here is answered as a duplicate without asking the store.
 *
 * <p>Only states the store never leaves may be remembered: {@code processed} rows change only by purging
 * (after which the cache is, if anything, the more careful of the two), a queued row stays received. Dead or
 * failed events are never remembered (they can be re-driven or retried). Entries expire {@code ttl} after
 * they were written — measured with {@code System.nanoTime()} when the pipeline runs on a system clock, on the
 * pipeline's clock otherwise (a fixed clock never ages them) — and the least useful are evicted beyond
 * {@code maxEntries} (Caffeine's W-TinyLFU); maintenance runs on the calling thread, so the cache starts no
 * threads.
 */
public final class SeenEvents {

    /** The class of {@link Clock#systemUTC()} and of every other zone's system clock. */
    private static final Class<?> SYSTEM_CLOCK_CLASS = Clock.systemUTC().getClass();

    /** A cache that remembers nothing. */
    public static final SeenEvents DISABLED = new SeenEvents(null);

    private final @Nullable Cache<String, Boolean> cache;

    private SeenEvents(@Nullable Cache<String, Boolean> cache) {
        this.cache = cache;
    }

    /**
     * Creates a cache, or {@link #DISABLED} when {@code maxEntries} is 0.
     *
     * @param maxEntries how many keys to keep, at least 0
     * @param ttl how long a key is kept after it was written, positive
     * @param clock the clock that ages entries
     * @return the cache
     */
    public static SeenEvents create(int maxEntries, Duration ttl, Clock clock) {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clock, "clock");
        if (maxEntries == 0) {
            return DISABLED;
        }
        // The system clock can step (NTP, a VM resumed): entries then age on the monotonic System.nanoTime().
        // Any other clock is the application's or a test's own time, and entries age on it.
        Ticker ticker = clock.getClass() == SYSTEM_CLOCK_CLASS ? Ticker.systemTicker()
                : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        Cache<String, Boolean> cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
        return new SeenEvents(cache);
    }

    /**
     * @param provider the provider name
     * @param eventId the event id
     * @return whether the key was remembered and has not expired
     */
    public boolean contains(String provider, String eventId) {
        return cache != null && cache.getIfPresent(key(provider, eventId)) != null;
    }

    /**
     * Remembers a key whose state is final.
     *
     * @param provider the provider name
     * @param eventId the event id
     */
    public void remember(String provider, String eventId) {
        if (cache != null) {
            cache.put(key(provider, eventId), Boolean.TRUE);
        }
    }

    /** Unambiguous whatever characters the two hold: the provider's length comes first. */
    private static String key(String provider, String eventId) {
        return provider.length() + ":" + provider + eventId;
    }
}
