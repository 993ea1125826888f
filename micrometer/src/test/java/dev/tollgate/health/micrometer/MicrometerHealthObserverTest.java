package dev.tollgate.health.micrometer;

import dev.tollgate.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MicrometerHealthObserverTest {

    @Test
    void recordsCheckDurationsByContributorAndStatusAndTheReadinessGauge() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
        AtomicBoolean up = new AtomicBoolean(true);
        try (HealthRegistry registry = HealthRegistry.builder().clock(clock)
                .observer(new MicrometerHealthObserver(meters))
                .register("database", () -> {
                    clock.advance(Duration.ofMillis(250));
                    return up.get() ? Health.up() : Health.down("gone");
                })
                .build()) {
            assertEquals(0.0, meters.get(TollgateMeters.HEALTH_READY).gauge().value());
            registry.check();
            assertEquals(1.0, meters.get(TollgateMeters.HEALTH_READY).gauge().value());
            up.set(false);
            registry.check();
            registry.check();
            assertEquals(0.0, meters.get(TollgateMeters.HEALTH_READY).gauge().value());
            Timer upTimer = meters.get(TollgateMeters.HEALTH_CHECK).tags("contributor", "database", "status", "UP").timer();
            Timer downTimer = meters.get(TollgateMeters.HEALTH_CHECK).tags("contributor", "database", "status", "DOWN").timer();
            assertEquals(1, upTimer.count());
            assertEquals(250.0, upTimer.totalTime(TimeUnit.MILLISECONDS));
            assertEquals(2, downTimer.count());
        }
    }
}
