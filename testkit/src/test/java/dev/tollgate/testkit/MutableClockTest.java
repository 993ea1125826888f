package dev.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MutableClockTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    @DisplayName("stands still until moved; set and advance move it, forwards and back")
    void setAndAdvance() {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        assertEquals(START, clock.instant());
        assertEquals(START.toEpochMilli(), clock.millis());
        assertEquals(ZoneOffset.UTC, clock.getZone());
        assertEquals(START.plusSeconds(90), clock.advance(Duration.ofSeconds(90)));
        assertEquals(START.plusSeconds(90), clock.instant());
        clock.advance(Duration.ofSeconds(-100));
        assertEquals(START.minusSeconds(10), clock.instant());
        clock.set(START.plus(Duration.ofDays(3)));
        assertEquals(START.plus(Duration.ofDays(3)), clock.instant());
    }

    @Test
    @DisplayName("a zone view shares the instant: moving one moves both")
    void zoneViewSharesInstant() {
        MutableClock clock = MutableClock.at(START);
        MutableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
        clock.advance(Duration.ofHours(1));
        assertEquals(START.plusSeconds(3600), paris.instant());
        paris.advance(Duration.ofHours(1));
        assertEquals(START.plusSeconds(7200), clock.instant());
        assertSame(clock, clock.withZone(ZoneOffset.UTC));
        assertEquals(paris, clock.withZone(ZoneId.of("Europe/Paris")));
        assertNotEquals(clock, MutableClock.at(START.plusSeconds(7200)), "another clock at the same instant");
    }

    @Test
    @DisplayName("16 threads advancing 1,000 times each: no advance is lost")
    void concurrentAdvances() throws Exception {
        MutableClock clock = MutableClock.at(START);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 1000; i++) {
                        clock.advance(Duration.ofMillis(1));
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
        assertEquals(START.plusMillis(16_000), clock.instant());
    }

    @Test
    @DisplayName("nulls are refused, naming the argument")
    void nullsRefused() {
        MutableClock clock = MutableClock.at(START);
        assertEquals("amount", assertThrows(NullPointerException.class, () -> clock.advance(null)).getMessage());
        assertEquals("newInstant", assertThrows(NullPointerException.class, () -> clock.set(null)).getMessage());
        assertThrows(NullPointerException.class, () -> MutableClock.at((Instant) null));
    }
}
