package dev.tollgate.consent;

import static dev.tollgate.consent.ConsentFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link ConsentRepository} keeps. Policy versions are unique per test (a random major), subjects
 * too, so an implementation may share state between tests.
 */
abstract class ConsentRepositoryContract {

    private static final AtomicInteger MAJORS = new AtomicInteger(100 + (int) (Math.random() * 800_000));

    /** @return the repository under test */
    protected abstract ConsentRepository repository();

    private final int major = MAJORS.addAndGet(2);
    private final String subject = "s-" + UUID.randomUUID();

    private ConsentPolicy policy(int minor) {
        return ConsentFixtures.policy(major + "." + minor, T0);
    }

    private NewConsentRecord record(PolicyVersion version, boolean analytics, Instant at) {
        return new NewConsentRecord(subject, version, ConsentChoice.CUSTOM,
                Map.of("necessary", true, "analytics", analytics, "marketing", false), !analytics, "test", at, null, null);
    }

    @Test
    @DisplayName("policies round-trip in version order and a version is published once")
    void policies() {
        ConsentRepository repo = repository();
        repo.publish(policy(10));
        repo.publish(policy(9));
        assertEquals(policy(9), repo.policy(PolicyVersion.parse(major + ".9")).orElseThrow());
        List<ConsentPolicy> all = repo.policies();
        assertTrue(all.indexOf(policy(9)) < all.indexOf(policy(10)), "1.9 comes before 1.10");
        assertEquals(ConsentException.Reason.DUPLICATE_VERSION,
                assertThrows(ConsentException.class, () -> repo.publish(policy(9))).reason());
    }

    @Test
    @DisplayName("a record for an unpublished policy is refused and nothing is stored")
    void unknownPolicy() {
        ConsentRepository repo = repository();
        ConsentException e = assertThrows(ConsentException.class,
                () -> repo.append(record(new PolicyVersion(major + 1, 0), true, T0)));
        assertEquals(ConsentException.Reason.UNKNOWN_POLICY_VERSION, e.reason());
        assertEquals(List.of(), repo.history(subject));
    }

    @Test
    @DisplayName("latest is the newest by time, then by id; history is oldest first; purposes round-trip")
    void latestAndHistory() {
        ConsentRepository repo = repository();
        repo.publish(policy(0));
        PolicyVersion v = PolicyVersion.parse(major + ".0");
        ConsentRecord late = repo.append(record(v, true, T0.plus(Duration.ofHours(1))));
        ConsentRecord early = repo.append(record(v, false, T0)); // arrives after, happened before
        ConsentRecord sameTime = repo.append(record(v, false, T0.plus(Duration.ofHours(1))));
        assertEquals(List.of(early, late, sameTime), repo.history(subject));
        assertEquals(sameTime, repo.latest(subject).orElseThrow());
        assertEquals(Map.of("necessary", true, "analytics", true, "marketing", false), late.purposes());
        assertTrue(repo.latest("nobody-" + subject).isEmpty());
        assertTrue(repo.verifyIntegrity().passed(), repo.verifyIntegrity().toString());
    }

    @Test
    @DisplayName("concurrent appends for one subject are all kept")
    void concurrentAppends() throws Exception {
        ConsentRepository repo = repository();
        repo.publish(policy(0));
        PolicyVersion v = PolicyVersion.parse(major + ".0");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<ConsentRecord>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                boolean analytics = i % 2 == 0;
                results.add(pool.submit(() -> {
                    start.await();
                    return repo.append(record(v, analytics, T0));
                }));
            }
            start.countDown();
            for (Future<ConsentRecord> r : results) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(12, repo.history(subject).size());
        assertEquals(12, repo.history(subject).stream().map(ConsentRecord::id).distinct().count());
    }
}
