package dev.tollgate.health.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.health.micrometer.billing.MicrometerGateCacheMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The gate's cache size and evictions as meters: what an operator alerts on when clients invent tenant ids. */
class MicrometerGateCacheMetersTest {

    @Test
    void theCacheSizeStaysAtTheBoundAndEvictionsCount() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BillingGate gate = BillingGate.builder().repository(new InMemoryBillingRepository(Clock.systemUTC()))
                .cacheMaximumSize(10).build();
        MicrometerGateCacheMeters.bind(gate, registry);
        assertEquals(0.0, registry.get(TollgateMeters.GATE_CACHE_SIZE).gauge().value());

        for (int i = 0; i < 100; i++) {
            gate.check("invented-" + i, OperationClass.READ);
        }
        assertTrue(registry.get(TollgateMeters.GATE_CACHE_SIZE).gauge().value() <= 10);
        assertTrue(registry.get(TollgateMeters.GATE_CACHE_EVICTIONS).functionCounter().count() >= 90);
    }
}
