package dev.tollgate.health.contributors.billing;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.GateStatus;
import dev.tollgate.billing.ListenerStatus;
import dev.tollgate.health.Health;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthContributor;
import java.util.Locale;
import java.util.Objects;

/**
 * How fast the billing gate sees a status change, for operators: through {@code LISTEN/NOTIFY} within a second
 * ({@code invalidation=listening}), or only within the cache TTL, for instance behind PgBouncer in transaction
 * mode, where notifications never arrive ({@code invalidation=ttl_only}, with the listener's reason). Either way
 * the gate works: register it with {@link #OPTIONS} (not critical), so a pooler never takes a replica out.
 *
 * <pre>{@code
 * registry.register("billing.gate", BillingGateHealthContributor.of(gate), BillingGateHealthContributor.OPTIONS);
 * }</pre>
 */
public final class BillingGateHealthContributor implements HealthContributor {

    /** The options to register it with: default timeout, not critical. */
    public static final HealthCheckOptions OPTIONS = HealthCheckOptions.defaults().withCritical(false);

    private final BillingGate gate;

    private BillingGateHealthContributor(BillingGate gate) {
        this.gate = gate;
    }

    /**
     * @param gate the gate to report on
     * @return the contributor
     */
    public static BillingGateHealthContributor of(BillingGate gate) {
        return new BillingGateHealthContributor(Objects.requireNonNull(gate, "gate"));
    }

    @Override
    public Health check() {
        GateStatus status = gate.status();
        ListenerStatus invalidation = status.invalidation();
        Health health = Health.up()
                .withDetail("enforcement", status.enforcement().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .withDetail("cache_ttl", status.cacheTtl().toString())
                .withDetail("cached_tenants", status.cachedTenants())
                .withDetail("cache_maximum_size", status.cacheMaximumSize())
                .withDetail("cache_evictions", status.cacheEvictions())
                .withDetail("fail_mode", status.failMode().name().toLowerCase(Locale.ROOT));
        if (invalidation == null) {
            return health.withDetail("invalidation", "ttl_only")
                    .withDetail("invalidation_detail", "no change listener: changes are seen within the cache TTL");
        }
        return health.withDetail("invalidation", invalidation.state().name().toLowerCase(Locale.ROOT))
                .withDetail("invalidation_detail", invalidation.detail());
    }

    @Override
    public String toString() {
        return "BillingGateHealthContributor[" + gate + "]";
    }
}
