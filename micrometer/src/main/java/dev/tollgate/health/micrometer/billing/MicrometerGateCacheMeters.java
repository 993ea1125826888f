package dev.tollgate.health.micrometer.billing;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes the billing gate's tenant cache: {@value TollgateMeters#GATE_CACHE_SIZE} (tenants cached now) and
 * {@value TollgateMeters#GATE_CACHE_EVICTIONS} (tenants the size bound evicted). A cache pinned at its bound with
 * evictions climbing means more tenants are active than the bound, or a client is inventing tenant ids. Read at
 * scrape time from {@link BillingGate#status()}; no tags, never a tenant id.
 *
 * <pre>{@code
 * MicrometerGateCacheMeters.bind(gate, meterRegistry);
 * }</pre>
 */
public final class MicrometerGateCacheMeters {

    private MicrometerGateCacheMeters() {
    }

    /**
     * Registers the gate's cache meters.
     *
     * @param gate the gate
     * @param registry the registry
     */
    public static void bind(BillingGate gate, MeterRegistry registry) {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(registry, "registry");
        Gauge.builder(TollgateMeters.GATE_CACHE_SIZE, gate, g -> g.status().cachedTenants())
                .description("tenants in the billing gate's cache (bounded by tollgate.billing.cache-maximum-size)")
                .register(registry);
        FunctionCounter.builder(TollgateMeters.GATE_CACHE_EVICTIONS, gate, g -> g.status().cacheEvictions())
                .description("tenants evicted from the billing gate's cache by its size bound")
                .register(registry);
    }
}
