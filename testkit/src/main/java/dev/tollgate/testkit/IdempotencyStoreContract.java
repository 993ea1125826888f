package dev.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.webhooks.ClaimResult;
import dev.tollgate.webhooks.DeadLetter;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.FailureOutcome;
import dev.tollgate.webhooks.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdempotencyStore} must have. Extend it in your test sources and implement
 * the one factory hook; every {@code @Nested} group runs against your store.
 *
 * <pre>{@code
 * class MyStoreTest extends IdempotencyStoreContract {
 *     @Override
 *     protected IdempotencyStore createStore(Clock clock) {
 *         return new MyStore(dataSource, clock);
 *     }
 * }
 * }</pre>
 *
 * <p>The store must read time only from the given clock: the contract moves it to expire leases and
 * reach retry times. {@link #createStore(Clock)} is called before each test and must return a store
 * that knows no events (a fresh instance, or a shared database whose tables were emptied).
 */
public abstract class IdempotencyStoreContract {

    /** The instant the contract's clock starts at for each test. */
    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.at(START);
    private IdempotencyStore store = new NeverCreated();

    /**
     * Creates the store under test.
     *
     * @param clock the only time source the store may read; the contract moves it
     * @return a store that knows no events
     */
    protected abstract IdempotencyStore createStore(Clock clock);

    @BeforeEach
    void createStoreUnderTest() {
        clock.set(START);
        store = createStore(clock);
    }

    /** @return the store under test, for the groups and for subclasses adding their own tests */
    protected IdempotencyStore store() {
        return store;
    }

    /**
     * Moves the contract's clock.
     *
     * @param amount how far forward (negative moves it back)
     */
    protected void advanceClock(Duration amount) {
        clock.advance(amount);
    }

    /** @return the contract clock's current instant */
    protected Instant now() {
        return clock.instant();
    }

    private ClaimResult claim(String id) {
        return store.claim("stripe", id, LEASE);
    }

    @Nested
    @DisplayName("claim")
    class Claiming {

        @Test
        @DisplayName("an unknown event is NEW, attempt 1, with a lease token, and stored as processing")
        void firstClaimIsNew() {
            ClaimResult claim = claim("evt_1");
            assertEquals(ClaimResult.Status.NEW, claim.status());
            assertEquals(1, claim.attempt());
            assertNotNull(claim.leaseToken());
            assertEquals(Optional.of(EventState.PROCESSING), store.state("stripe", "evt_1"));
        }

        @Test
        @DisplayName("a claimed event is IN_PROGRESS for others while its lease runs, even one instant before expiry")
        void secondClaimIsInProgress() {
            claim("evt_1");
            assertEquals(ClaimResult.Status.IN_PROGRESS, claim("evt_1").status());
            advanceClock(LEASE.minusMillis(1));
            assertEquals(ClaimResult.Status.IN_PROGRESS, claim("evt_1").status());
        }

        @Test
        @DisplayName("a completed event is ALREADY_PROCESSED for every later claim, however much later")
        void completedIsAlreadyProcessed() {
            ClaimResult first = claim("evt_1");
            assertTrue(store.complete(first));
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, claim("evt_1").status());
            advanceClock(Duration.ofDays(30));
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, claim("evt_1").status());
            assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "evt_1"));
        }

        @Test
        @DisplayName("the same event id from two providers is two events")
        void providersAreSeparate() {
            assertTrue(store.claim("stripe", "evt_1", LEASE).isNew());
            assertTrue(store.claim("revenuecat", "evt_1", LEASE).isNew());
        }

        @Test
        @DisplayName("event ids are opaque: case, quotes, unicode and the longest allowed id are kept apart")
        void idsAreOpaque() {
            List<String> ids = List.of("evt_A", "evt_a", "o'neil\"; DROP TABLE x;--", "événement-✓-\uD83D\uDE00",
                    "x".repeat(255), " leading space");
            for (String id : ids) {
                assertTrue(claim(id).isNew(), id);
            }
            for (String id : ids) {
                assertEquals(ClaimResult.Status.IN_PROGRESS, claim(id).status(), id);
            }
        }

        @Test
        @DisplayName("empty or oversized keys and a non-positive lease are refused with IllegalArgumentException")
        void badArgumentsAreRefused() {
            assertThrows(IllegalArgumentException.class, () -> store.claim("", "evt_1", LEASE));
            assertThrows(IllegalArgumentException.class, () -> store.claim("stripe", "", LEASE));
            assertThrows(IllegalArgumentException.class, () -> store.claim("stripe", "x".repeat(256), LEASE));
            assertThrows(IllegalArgumentException.class, () -> store.claim("p".repeat(101), "evt_1", LEASE));
            assertThrows(IllegalArgumentException.class, () -> store.claim("stripe", "evt_1", Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> store.claim("stripe", "evt_1", Duration.ofSeconds(-1)));
            assertEquals(Optional.empty(), store.state("stripe", "evt_1"));
        }
    }

    @Nested
    @DisplayName("lease expiry")
    class LeaseExpiry {

        @Test
        @DisplayName("after the lease expires another claimer gets it as NEW, attempt 2, with a different token")
        void expiredLeaseIsReclaimed() {
            ClaimResult first = claim("evt_1");
            advanceClock(LEASE);
            ClaimResult second = claim("evt_1");
            assertEquals(ClaimResult.Status.NEW, second.status());
            assertEquals(2, second.attempt());
            assertNotEquals(first.leaseToken(), second.leaseToken());
        }

        @Test
        @DisplayName("the holder of an expired, re-claimed lease can neither complete nor fail the event")
        void staleHolderIsRefused() {
            ClaimResult stale = claim("evt_1");
            advanceClock(LEASE.plusSeconds(1));
            ClaimResult current = claim("evt_1");
            assertFalse(store.complete(stale));
            assertEquals(FailureOutcome.LEASE_LOST, store.fail(stale, "boom", 5, now()));
            assertEquals(Optional.of(EventState.PROCESSING), store.state("stripe", "evt_1"));
            assertTrue(store.complete(current));
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, claim("evt_1").status());
        }

        @Test
        @DisplayName("an expired lease nobody re-claimed can still be completed by its holder")
        void expiredButNotReclaimedCanComplete() {
            ClaimResult claim = claim("evt_1");
            advanceClock(LEASE.multipliedBy(3));
            assertTrue(store.complete(claim));
        }

        @Test
        @DisplayName("completing twice is refused the second time; completing a non-NEW claim is an error")
        void completeOnce() {
            ClaimResult claim = claim("evt_1");
            assertTrue(store.complete(claim));
            assertFalse(store.complete(claim));
            ClaimResult duplicate = claim("evt_1");
            assertThrows(IllegalArgumentException.class, () -> store.complete(duplicate));
        }
    }

    @Nested
    @DisplayName("fail and retry")
    class Failing {

        @Test
        @DisplayName("a failed attempt is FAILED, not claimable before its retry time, NEW (attempt 2) at it")
        void failedIsRetriedAtRetryTime() {
            ClaimResult first = claim("evt_1");
            Instant retryAt = now().plusSeconds(60);
            assertEquals(FailureOutcome.RETRY_SCHEDULED, store.fail(first, "IllegalStateException: boom", 3, retryAt));
            assertEquals(Optional.of(EventState.FAILED), store.state("stripe", "evt_1"));
            assertEquals(ClaimResult.Status.IN_PROGRESS, claim("evt_1").status());
            advanceClock(Duration.ofSeconds(60));
            ClaimResult second = claim("evt_1");
            assertEquals(ClaimResult.Status.NEW, second.status());
            assertEquals(2, second.attempt());
        }

        @Test
        @DisplayName("a failure with the retry time now is claimable at once (a provider's redelivery)")
        void failedIsClaimableAtOnce() {
            store.fail(claim("evt_1"), "boom", 3, now());
            assertTrue(claim("evt_1").isNew());
        }

        @Test
        @DisplayName("the attempt reaching maxAttempts dead-letters the event, which then claims as DEAD")
        void deadAfterMaxAttempts() {
            assertEquals(FailureOutcome.RETRY_SCHEDULED, store.fail(claim("evt_1"), "first", 3, now()));
            assertEquals(FailureOutcome.RETRY_SCHEDULED, store.fail(claim("evt_1"), "second", 3, now()));
            ClaimResult third = claim("evt_1");
            assertEquals(3, third.attempt());
            assertEquals(FailureOutcome.DEAD_LETTERED, store.fail(third, "third", 3, now()));
            assertEquals(Optional.of(EventState.DEAD), store.state("stripe", "evt_1"));
            assertEquals(ClaimResult.Status.DEAD, claim("evt_1").status());
            List<DeadLetter> dead = store.deadLetters(10);
            assertEquals(1, dead.size());
            assertEquals("evt_1", dead.get(0).eventId());
            assertEquals("stripe", dead.get(0).provider());
            assertEquals(3, dead.get(0).attempts());
            assertEquals("third", dead.get(0).lastError());
            assertEquals(now(), dead.get(0).deadAt());
        }

        @Test
        @DisplayName("maxAttempts 1 dead-letters on the first failure")
        void maxAttemptsOne() {
            assertEquals(FailureOutcome.DEAD_LETTERED, store.fail(claim("evt_1"), "boom", 1, now()));
        }

        @Test
        @DisplayName("an expired lease counts as an attempt")
        void crashCountsAsAttempt() {
            claim("evt_1");
            advanceClock(LEASE);
            ClaimResult second = claim("evt_1");
            assertEquals(FailureOutcome.DEAD_LETTERED, store.fail(second, "boom", 2, now()));
        }

        @Test
        @DisplayName("a huge error text is stored truncated to at most 1,000 characters")
        void errorIsTruncated() {
            store.fail(claim("evt_1"), "e".repeat(100_000), 1, now());
            String stored = store.deadLetters(1).get(0).lastError();
            assertNotNull(stored);
            assertTrue(stored.length() <= 1000, "stored " + stored.length() + " characters");
            assertTrue(stored.startsWith("eeee"));
        }

        @Test
        @DisplayName("bad fail arguments are refused: a non-NEW claim, maxAttempts below 1")
        void badFailArguments() {
            ClaimResult claim = claim("evt_1");
            assertThrows(IllegalArgumentException.class, () -> store.fail(claim, "boom", 0, now()));
            ClaimResult duplicate = claim("evt_1");
            assertThrows(IllegalArgumentException.class, () -> store.fail(duplicate, "boom", 3, now()));
            assertEquals(Optional.of(EventState.PROCESSING), store.state("stripe", "evt_1"));
        }
    }

    @Nested
    @DisplayName("dead letters")
    class DeadLetters {

        @Test
        @DisplayName("are listed oldest first, up to the limit")
        void listedOldestFirst() {
            for (int i = 0; i < 5; i++) {
                store.fail(claim("evt_" + i), "boom " + i, 1, now());
                advanceClock(Duration.ofSeconds(1));
            }
            List<DeadLetter> three = store.deadLetters(3);
            assertEquals(List.of("evt_0", "evt_1", "evt_2"), three.stream().map(DeadLetter::eventId).toList());
            assertEquals(5, store.deadLetters(100).size());
            assertThrows(IllegalArgumentException.class, () -> store.deadLetters(0));
        }

        @Test
        @DisplayName("a re-driven event leaves the queue and is claimable at once with a fresh attempt count")
        void redrive() {
            store.fail(claim("evt_1"), "boom", 1, now().plusSeconds(3600));
            assertTrue(store.redrive("stripe", "evt_1"));
            assertEquals(List.of(), store.deadLetters(10));
            assertEquals(Optional.of(EventState.PENDING), store.state("stripe", "evt_1"));
            ClaimResult again = claim("evt_1");
            assertEquals(ClaimResult.Status.NEW, again.status());
            assertEquals(1, again.attempt());
            assertTrue(store.complete(again));
        }

        @Test
        @DisplayName("a re-driven event that dies again is listed again")
        void redriveAndDieAgain() {
            store.fail(claim("evt_1"), "first death", 1, now());
            store.redrive("stripe", "evt_1");
            advanceClock(Duration.ofMinutes(1));
            assertEquals(FailureOutcome.DEAD_LETTERED, store.fail(claim("evt_1"), "second death", 1, now()));
            List<DeadLetter> dead = store.deadLetters(10);
            assertEquals(1, dead.size());
            assertEquals("second death", dead.get(0).lastError());
        }

        @Test
        @DisplayName("only dead events can be re-driven")
        void onlyDeadEvents() {
            assertFalse(store.redrive("stripe", "unknown"));
            ClaimResult claim = claim("evt_1");
            assertFalse(store.redrive("stripe", "evt_1"));
            store.complete(claim);
            assertFalse(store.redrive("stripe", "evt_1"));
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, claim("evt_1").status());
        }
    }

    @Nested
    @DisplayName("purge")
    class Purging {

        @Test
        @DisplayName("forgets processed events older than the cut-off, and only those")
        void purgeOldProcessed() {
            store.complete(claim("old"));
            advanceClock(Duration.ofDays(4));
            store.complete(claim("recent"));
            claim("in_flight");
            store.fail(claim("failed"), "boom", 5, now());
            store.fail(claim("dead"), "boom", 1, now());

            assertEquals(1, store.purge(now().minus(Duration.ofDays(3))));
            assertEquals(Optional.empty(), store.state("stripe", "old"));
            assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "recent"));
            assertEquals(Optional.of(EventState.PROCESSING), store.state("stripe", "in_flight"));
            assertEquals(Optional.of(EventState.FAILED), store.state("stripe", "failed"));
            assertEquals(Optional.of(EventState.DEAD), store.state("stripe", "dead"));
            assertEquals(1, store.deadLetters(10).size());
            assertTrue(claim("old").isNew(), "a purged event is unknown again");
        }

        @Test
        @DisplayName("is a no-op on an empty store and when nothing is old enough")
        void purgeNothing() {
            assertEquals(0, store.purge(now()));
            store.complete(claim("evt_1"));
            assertEquals(0, store.purge(now()));
        }
    }

    @Nested
    @DisplayName("concurrency")
    class Concurrency {

        @Test
        @DisplayName("16 threads claiming the same 200 events: each event is NEW for exactly one claimer")
        void concurrentClaimsAreExclusive() throws Exception {
            int threads = 16;
            int events = 200;
            Map<String, AtomicInteger> wins = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < events; i++) {
                            String id = "evt_" + ((i + offset * 13) % events);
                            ClaimResult claim = claim(id);
                            if (claim.isNew()) {
                                wins.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                                assertTrue(store.complete(claim));
                            } else {
                                assertTrue(claim.status() == ClaimResult.Status.IN_PROGRESS
                                        || claim.status() == ClaimResult.Status.ALREADY_PROCESSED, claim.toString());
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(events, wins.size());
            wins.forEach((id, count) -> assertEquals(1, count.get(), id));
        }

        @Test
        @DisplayName("many claimers racing for one expired lease: exactly one takes it over")
        void concurrentReclaim() throws Exception {
            claim("evt_1");
            advanceClock(LEASE);
            int threads = 12;
            AtomicInteger winners = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        if (claim("evt_1").isNew()) {
                            winners.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, winners.get());
        }
    }

    /** Stands in until {@link #createStoreUnderTest()} runs, so the field is never null. */
    private static final class NeverCreated implements IdempotencyStore {
        private static IllegalStateException notYet() {
            return new IllegalStateException("createStore(Clock) has not run yet");
        }

        @Override
        public ClaimResult claim(String provider, String eventId, Duration lease) {
            throw notYet();
        }

        @Override
        public boolean complete(ClaimResult claim) {
            throw notYet();
        }

        @Override
        public FailureOutcome fail(ClaimResult claim, String error, int maxAttempts, Instant retryAt) {
            throw notYet();
        }

        @Override
        public int purge(Instant olderThan) {
            throw notYet();
        }

        @Override
        public List<DeadLetter> deadLetters(int limit) {
            throw notYet();
        }

        @Override
        public boolean redrive(String provider, String eventId) {
            throw notYet();
        }

        @Override
        public Optional<EventState> state(String provider, String eventId) {
            throw notYet();
        }
    }
}
