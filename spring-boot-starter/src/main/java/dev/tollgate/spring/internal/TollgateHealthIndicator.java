package dev.tollgate.spring.internal;

import dev.tollgate.health.ContributorHealth;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.HealthReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Tollgate's {@link HealthRegistry} as one Actuator indicator: the registry runs each check on its own
 * threads with a timeout (a stopped database answers DOWN "timed out", never hangs the probe); the
 * indicator's status is the registry's aggregate over critical contributors, and each contributor
 * appears as a detail with its status and details (never secrets: health details are scrubbed).
 */
public final class TollgateHealthIndicator implements HealthIndicator {

    private final HealthRegistry registry;

    /**
     * @param registry the registry
     */
    public TollgateHealthIndicator(HealthRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Health health() {
        HealthReport report = registry.check();
        Health.Builder builder = Health.status(new Status(report.status().name()));
        for (ContributorHealth contributor : report.contributors()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", contributor.status().name());
            detail.put("critical", contributor.critical());
            detail.putAll(contributor.health().details());
            builder.withDetail(contributor.name(), detail);
        }
        return builder.build();
    }
}
