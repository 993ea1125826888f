package dev.tollgate.health;

import dev.tollgate.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

    private static final HealthCheckOptions SHORT = HealthCheckOptions.defaults().withTimeout(Duration.ofMillis(200));

    @Test
    void aggregatesDownOverOutOfServiceOverUpOverUnknown() {
        assertEquals(Status.UNKNOWN, statusOf());
        assertEquals(Status.UP, statusOf(Status.UNKNOWN, Status.UP));
        assertEquals(Status.OUT_OF_SERVICE, statusOf(Status.UP, Status.OUT_OF_SERVICE, Status.UNKNOWN));
        assertEquals(Status.DOWN, statusOf(Status.OUT_OF_SERVICE, Status.DOWN, Status.UP));
        assertEquals(Status.DOWN, statusOf(Status.DOWN, Status.OUT_OF_SERVICE));
        assertEquals(Status.UNKNOWN, statusOf(Status.UNKNOWN));
    }

    private static Status statusOf(Status... statuses) {
        HealthRegistry.Builder builder = HealthRegistry.builder();
        for (int i = 0; i < statuses.length; i++) {
            Status s = statuses[i];
            builder.register("c" + i, () -> new Health(s, java.util.Map.of()));
        }
        try (HealthRegistry registry = builder.build()) {
            return registry.check().status();
        }
    }

    @Test
    void nonCriticalContributorsAreReportedButDoNotCount() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("database", Health::up)
                .register("purchases", () -> Health.outOfService("off"), SHORT.withCritical(false))
                .register("backup", () -> Health.down("old"), SHORT.withCritical(false))
                .build()) {
            HealthReport report = registry.check();
            assertEquals(Status.UP, report.status());
            assertTrue(report.ready());
            assertEquals(List.of(), report.failing());
            assertEquals(Status.OUT_OF_SERVICE, report.contributor("purchases").orElseThrow().status());
            assertEquals(Status.DOWN, report.contributor("backup").orElseThrow().status());
            assertEquals(List.of("database", "purchases", "backup"), registry.names());
        }
    }

    @Test
    void aHangingContributorTimesOutWithoutBlockingTheProbeOrOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        HealthRegistry registry = HealthRegistry.builder()
                .register("hangs", () -> {
                    runs.incrementAndGet();
                    release.await();
                    return Health.up();
                }, SHORT)
                .register("database", Health::up, SHORT)
                .build();
        try {
            HealthReport first = registry.check();
            assertEquals(Status.DOWN, first.status());
            ContributorHealth hangs = first.contributor("hangs").orElseThrow();
            assertEquals(Status.DOWN, hangs.status());
            assertTrue(hangs.health().reason().startsWith("timed out after 200 ms"), hangs.health().reason());
            assertEquals(Duration.ofMillis(200), hangs.duration());
            assertEquals(Status.UP, first.contributor("database").orElseThrow().status());
            assertEquals(List.of("hangs"), first.failing());

            // Concurrent probes wait on the same stuck check instead of starting new ones.
            ExecutorService probes = Executors.newFixedThreadPool(4);
            List<Future<HealthReport>> reports = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reports.add(probes.submit(registry::check));
            }
            for (Future<HealthReport> r : reports) {
                assertEquals(Status.DOWN, r.get(30, TimeUnit.SECONDS).status());
            }
            probes.shutdown();
            assertEquals(1, runs.get(), "a hanging check must occupy one thread, not one per probe");

            // Once it finishes, the next probe runs it again and sees it up.
            release.countDown();
            HealthReport later = awaitStatus(registry, Status.UP);
            assertEquals(Status.UP, later.status());
        } finally {
            registry.close();
        }
    }

    private static HealthReport awaitStatus(HealthRegistry registry, Status expected) {
        HealthReport report = registry.check();
        for (int i = 0; i < 100 && report.status() != expected; i++) {
            report = registry.check(); // the released run may still be completing: each probe joins it
        }
        return report;
    }

    @Test
    void closeInterruptsARunningCheckAndLaterProbesFail() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        HealthRegistry registry = HealthRegistry.builder()
                .register("hangs", () -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return Health.up();
                }, SHORT)
                .build();
        registry.check();
        assertTrue(started.await(30, TimeUnit.SECONDS));
        registry.close();
        assertTrue(interrupted.await(30, TimeUnit.SECONDS), "close() must interrupt running checks");
        IllegalStateException closed = assertThrows(IllegalStateException.class, registry::check);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void failuresBecomeDownWithScrubbedMessages() {
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("throws", () -> {
                    throw new IllegalStateException("login failed for ops@example.com with sk_live_abcdefghijklmnop1234");
                })
                .register("checked", () -> {
                    throw new java.io.IOException("connect to https://user:hunter22@db.example.com/x failed");
                })
                .register("error", () -> {
                    throw new AssertionError("boom");
                })
                .register("null", () -> null)
                .build()) {
            HealthReport report = registry.check();
            assertEquals(Status.DOWN, report.status());
            String throwsReason = report.contributor("throws").orElseThrow().health().reason();
            assertTrue(throwsReason.startsWith("IllegalStateException: login failed"), throwsReason);
            assertFalse(throwsReason.contains("ops@example.com"), throwsReason);
            assertFalse(throwsReason.contains("abcdefghijklmnop"), throwsReason);
            String checked = report.contributor("checked").orElseThrow().health().reason();
            assertFalse(checked.contains("hunter22"), checked);
            assertEquals(Status.DOWN, report.contributor("error").orElseThrow().status());
            assertTrue(report.contributor("error").orElseThrow().health().reason().contains("AssertionError"));
            assertEquals("the check returned no result", report.contributor("null").orElseThrow().health().reason());
        }
    }

    @Test
    void cachedResultsAreReusedUntilTheyExpireByTheClock() {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        AtomicInteger runs = new AtomicInteger();
        try (HealthRegistry registry = HealthRegistry.builder().clock(clock)
                .register("cached", () -> {
                    runs.incrementAndGet();
                    return Health.up();
                }, HealthCheckOptions.defaults().withCacheFor(Duration.ofSeconds(10)))
                .register("uncached", () -> {
                    runs.addAndGet(100);
                    return Health.up();
                })
                .build()) {
            registry.check();
            registry.check();
            assertEquals(201, runs.get());
            clock.advance(Duration.ofSeconds(9));
            registry.check();
            assertEquals(301, runs.get());
            clock.advance(Duration.ofSeconds(1));
            registry.check();
            assertEquals(402, runs.get(), "cache expires exactly at checkedAt + cacheFor");
        }
    }

    @Test
    void backgroundRefreshedContributorsAreReadNotRunByProbes() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRun = new CountDownLatch(1);
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("refreshed", () -> {
                    runs.incrementAndGet();
                    firstRun.countDown();
                    return Health.up();
                }, HealthCheckOptions.defaults().withRefreshEvery(Duration.ofHours(1)))
                .build()) {
            // The first background run starts on the registry's own thread; a probe that came before it
            // started would run the check itself, so wait until it has begun.
            assertTrue(firstRun.await(10, java.util.concurrent.TimeUnit.SECONDS), "the background refresh ran");
            assertEquals(1, runs.get(), "the background refresh ran once on its own");
            for (int i = 0; i < 5; i++) {
                assertEquals(Status.UP, registry.check().status());
            }
            assertEquals(1, runs.get(), "probes share or read the background run; they never run the check");
        }
    }

    @Test
    void aStuckBackgroundRefreshMakesTheLastResultStale() throws Exception {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        CountDownLatch hang = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (HealthRegistry registry = HealthRegistry.builder().clock(clock)
                .register("refreshed", () -> {
                    if (runs.incrementAndGet() > 1) {
                        hang.await();
                    }
                    return Health.up();
                    // a generous timeout: the first run is a cold thread on a busy CI machine (200 ms failed once)
                }, HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(2)).withRefreshEvery(Duration.ofHours(1)))
                .build()) {
            assertEquals(Status.UP, registry.check().status());
            clock.advance(Duration.ofHours(1));
            assertEquals(Status.UP, registry.check().status(), "within refreshEvery + timeout the last result stands");
            clock.advance(Duration.ofSeconds(2));
            HealthReport stale = registry.check();
            assertEquals(Status.DOWN, stale.status());
            assertTrue(stale.contributors().get(0).health().reason().startsWith("timed out"));
            assertEquals(2, runs.get());
        } finally {
            hang.countDown();
        }
    }

    @Test
    void aHangingBackgroundRefreshNeverStopsProbeTimeouts() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("refreshed", () -> {
                    runs.incrementAndGet();
                    hang.await();
                    return Health.up();
                }, SHORT.withRefreshEvery(Duration.ofMillis(1)))
                .register("other", () -> {
                    hang.await();
                    return Health.up();
                }, SHORT)
                .build()) {
            for (int i = 0; i < 3; i++) {
                HealthReport report = java.util.concurrent.CompletableFuture.supplyAsync(registry::check)
                        .get(60, TimeUnit.SECONDS); // a safety net against a hang, not a timing assertion
                assertEquals(List.of("refreshed", "other"), report.failing());
            }
            assertEquals(1, runs.get(), "refreshes share the stuck run");
        } finally {
            hang.countDown();
        }
    }

    @Test
    void observerSeesEveryCheckWithClockDurations() {
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<HealthReport> reports = Collections.synchronizedList(new ArrayList<>());
        try (HealthRegistry registry = HealthRegistry.builder().clock(clock)
                .observer(new HealthCheckObserver() {
                    @Override
                    public void checked(String name, Status status, Duration duration) {
                        seen.add(name + "=" + status + "/" + duration.toSeconds());
                        throw new IllegalStateException("observers that throw are ignored");
                    }

                    @Override
                    public void reported(HealthReport report) {
                        reports.add(report);
                    }
                })
                .register("slow", () -> {
                    clock.advance(Duration.ofSeconds(3));
                    return Health.down("nope");
                })
                .build()) {
            HealthReport report = registry.check();
            assertEquals(List.of("slow=DOWN/3"), seen);
            assertEquals(List.of(report), reports);
            assertEquals(Duration.ofSeconds(3), report.contributors().get(0).duration());
        }
    }

    @Test
    void builderReportsEveryProblemAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HealthRegistry.builder()
                .register("Database", Health::up)
                .register("ok", Health::up)
                .register("ok", Health::up)
                .register("", Health::up)
                .register("x".repeat(65), Health::up)
                .build());
        assertTrue(e.getMessage().contains("'Database'"), e.getMessage());
        assertTrue(e.getMessage().contains("'ok' is registered twice"), e.getMessage());
        assertTrue(e.getMessage().contains("''"), e.getMessage());
        assertTrue(e.getMessage().contains("x".repeat(65)), e.getMessage());
        IllegalArgumentException options = assertThrows(IllegalArgumentException.class,
                () -> new HealthCheckOptions(Duration.ZERO, true, Duration.ofSeconds(-1), Duration.ofSeconds(-2)));
        assertTrue(options.getMessage().contains("timeout must be positive, but was PT0S"), options.getMessage());
        assertTrue(options.getMessage().contains("cacheFor"), options.getMessage());
        assertTrue(options.getMessage().contains("refreshEvery"), options.getMessage());
    }

    @Test
    void healthDetailsRefuseArbitraryObjects() {
        assertThrows(IllegalArgumentException.class, () -> Health.up().withDetail("connection", new Object()));
        assertEquals(3, Health.up().withDetail("n", 3).details().get("n"));
    }
}
