package dev.tollgate.webhooks;

import dev.tollgate.webhooks.internal.StoreArguments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdempotencyStore} in this JVM's memory: for one process, tests, and services that accept
 * losing their history on restart. It is correct under concurrency (every operation runs under one
 * lock) and bounded: when it holds {@link Builder#maximumSize(int) maximumSize} events, the oldest
 * processed ones are forgotten first; when every stored event is still unfinished, a new claim fails
 * with {@link IdempotencyStoreException.Reason#CAPACITY_EXCEEDED}.
 *
 * <pre>{@code
 * IdempotencyStore store = InMemoryIdempotencyStore.builder().maximumSize(100_000).build();
 * }</pre>
 *
 * <p>Several replicas of a service need a shared store: use {@link PostgresIdempotencyStore}.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    private record Key(String provider, String eventId) {
    }

    private static final class Entry {
        EventState state = EventState.PROCESSING;
        int attempts;
        @Nullable UUID leaseToken;
        @Nullable Instant leaseUntil;
        Instant nextAttemptAt;
        @Nullable Instant processedAt;
        @Nullable String lastError;

        Entry(Instant now) {
            this.nextAttemptAt = now;
        }
    }

    private final Clock clock;
    private final int maximumSize;
    /** Insertion order: the eviction scan meets old events first. Guarded by {@code this}. */
    private final LinkedHashMap<Key, Entry> events = new LinkedHashMap<>();
    /** Open dead letters in the order they died. Guarded by {@code this}. */
    private final LinkedHashMap<Key, DeadLetter> deadLetters = new LinkedHashMap<>();

    private InMemoryIdempotencyStore(Clock clock, int maximumSize) {
        this.clock = clock;
        this.maximumSize = maximumSize;
    }

    /** @return a builder with the system UTC clock and a maximum of 100,000 events */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized ClaimResult claim(String provider, String eventId, Duration lease) {
        StoreArguments.requireKey(provider, eventId);
        StoreArguments.requireLease(lease);
        Instant now = clock.instant();
        Key key = new Key(provider, eventId);
        Entry entry = events.get(key);
        if (entry == null) {
            makeRoom();
            entry = new Entry(now);
            events.put(key, entry);
            return take(key, entry, now, lease);
        }
        switch (entry.state) {
            case PROCESSED:
                return new ClaimResult(ClaimResult.Status.ALREADY_PROCESSED, provider, eventId, entry.attempts, null);
            case DEAD:
                return new ClaimResult(ClaimResult.Status.DEAD, provider, eventId, entry.attempts, null);
            case PROCESSING:
                if (Objects.requireNonNull(entry.leaseUntil).isAfter(now)) {
                    return inProgress(key, entry);
                }
                return take(key, entry, now, lease);
            default: // PENDING, FAILED
                if (entry.nextAttemptAt.isAfter(now)) {
                    return inProgress(key, entry);
                }
                return take(key, entry, now, lease);
        }
    }

    private static ClaimResult inProgress(Key key, Entry entry) {
        return new ClaimResult(ClaimResult.Status.IN_PROGRESS, key.provider(), key.eventId(), entry.attempts, null);
    }

    private static ClaimResult take(Key key, Entry entry, Instant now, Duration lease) {
        entry.state = EventState.PROCESSING;
        entry.attempts++;
        entry.leaseToken = UUID.randomUUID();
        entry.leaseUntil = now.plus(lease);
        return new ClaimResult(ClaimResult.Status.NEW, key.provider(), key.eventId(), entry.attempts, entry.leaseToken);
    }

    private void makeRoom() {
        if (events.size() < maximumSize) {
            return;
        }
        // Forget the oldest processed event (insertion order approximates processing order).
        Iterator<Map.Entry<Key, Entry>> it = events.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().state == EventState.PROCESSED) {
                it.remove();
                return;
            }
        }
        throw new IdempotencyStoreException(IdempotencyStoreException.Reason.CAPACITY_EXCEEDED,
                "the in-memory idempotency store holds " + maximumSize + " unfinished events and cannot take "
                        + "another: raise maximumSize, re-drive or complete events, or use PostgresIdempotencyStore",
                null);
    }

    private @Nullable Entry leased(ClaimResult claim) {
        Entry entry = events.get(new Key(claim.provider(), claim.eventId()));
        if (entry == null || entry.state != EventState.PROCESSING
                || !Objects.equals(entry.leaseToken, claim.leaseToken())) {
            return null;
        }
        return entry;
    }

    @Override
    public synchronized boolean complete(ClaimResult claim) {
        StoreArguments.requireNewClaim(claim);
        Entry entry = leased(claim);
        if (entry == null) {
            return false;
        }
        entry.state = EventState.PROCESSED;
        entry.processedAt = clock.instant();
        entry.leaseToken = null;
        entry.leaseUntil = null;
        entry.lastError = null;
        return true;
    }

    @Override
    public synchronized FailureOutcome fail(ClaimResult claim, String error, int maxAttempts, Instant retryAt) {
        StoreArguments.requireNewClaim(claim);
        Objects.requireNonNull(error, "error");
        StoreArguments.requireMaxAttempts(maxAttempts);
        Objects.requireNonNull(retryAt, "retryAt");
        Entry entry = leased(claim);
        if (entry == null) {
            return FailureOutcome.LEASE_LOST;
        }
        entry.leaseToken = null;
        entry.leaseUntil = null;
        entry.lastError = StoreArguments.truncateError(error);
        entry.nextAttemptAt = retryAt;
        if (entry.attempts >= maxAttempts) {
            entry.state = EventState.DEAD;
            Key key = new Key(claim.provider(), claim.eventId());
            deadLetters.put(key, new DeadLetter(key.provider(), key.eventId(), null, entry.attempts,
                    entry.lastError, clock.instant()));
            return FailureOutcome.DEAD_LETTERED;
        }
        entry.state = EventState.FAILED;
        return FailureOutcome.RETRY_SCHEDULED;
    }

    @Override
    public synchronized int purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        int removed = 0;
        Iterator<Entry> it = events.values().iterator();
        while (it.hasNext()) {
            Entry entry = it.next();
            if (entry.state == EventState.PROCESSED && Objects.requireNonNull(entry.processedAt).isBefore(olderThan)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(int limit) {
        StoreArguments.requireLimit(limit);
        List<DeadLetter> list = new ArrayList<>(Math.min(limit, deadLetters.size()));
        for (DeadLetter letter : deadLetters.values()) {
            if (list.size() == limit) {
                break;
            }
            list.add(letter);
        }
        return List.copyOf(list);
    }

    @Override
    public synchronized boolean redrive(String provider, String eventId) {
        StoreArguments.requireKey(provider, eventId);
        Key key = new Key(provider, eventId);
        Entry entry = events.get(key);
        if (entry == null || entry.state != EventState.DEAD) {
            return false;
        }
        entry.state = EventState.PENDING;
        entry.attempts = 0;
        entry.nextAttemptAt = clock.instant();
        deadLetters.remove(key);
        return true;
    }

    @Override
    public synchronized Optional<EventState> state(String provider, String eventId) {
        StoreArguments.requireKey(provider, eventId);
        Entry entry = events.get(new Key(provider, eventId));
        return entry == null ? Optional.empty() : Optional.of(entry.state);
    }

    /** Shows the size only. */
    @Override
    public synchronized String toString() {
        return "InMemoryIdempotencyStore[events=" + events.size() + ", maximumSize=" + maximumSize
                + ", deadLetters=" + deadLetters.size() + "]";
    }

    /** Configures an {@link InMemoryIdempotencyStore}; {@link #build()} reports every bad setting at once. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int maximumSize = 100_000;

        private Builder() {
        }

        /**
         * Sets the clock that decides lease expiry and retry times.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how many events the store remembers at most (default 100,000).
         *
         * @param maximumSize at least 1
         * @return this builder
         */
        public Builder maximumSize(int maximumSize) {
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Builds the store.
         *
         * @return the store
         * @throws IllegalArgumentException naming every bad setting
         */
        public InMemoryIdempotencyStore build() {
            if (maximumSize < 1) {
                throw new IllegalArgumentException("invalid InMemoryIdempotencyStore configuration: maximumSize must be "
                        + "at least 1, but was " + maximumSize);
            }
            return new InMemoryIdempotencyStore(clock, maximumSize);
        }
    }
}
