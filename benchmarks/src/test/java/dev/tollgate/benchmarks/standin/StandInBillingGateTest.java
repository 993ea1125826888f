package dev.tollgate.benchmarks.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StandInBillingGateTest {

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void answersFromTheCacheUntilTheTtlThenReloads() {
        MutableClock clock = new MutableClock();
        Map<String, String> statuses = new HashMap<>(Map.of("t1", "active"));
        AtomicInteger loads = new AtomicInteger();
        StandInBillingGate gate = new StandInBillingGate(tenant -> {
            loads.incrementAndGet();
            return statuses.getOrDefault(tenant, "none");
        }, Duration.ofSeconds(30), clock);

        assertEquals(StandInBillingGate.Decision.ALLOW, gate.check("t1"));
        statuses.put("t1", "past_due");
        clock.now = clock.now.plusSeconds(29);
        assertEquals(StandInBillingGate.Decision.ALLOW, gate.check("t1"));
        assertEquals(1, loads.get());
        clock.now = clock.now.plusSeconds(1);
        assertEquals(StandInBillingGate.Decision.PAYMENT_REQUIRED, gate.check("t1"));
        assertEquals(2, loads.get());
        assertEquals(StandInBillingGate.Decision.PAYMENT_REQUIRED, gate.check("unknown"));
    }
}
