package dev.tollgate.health.micrometer;

import dev.tollgate.health.HealthCheckObserver;
import dev.tollgate.health.HealthReport;
import dev.tollgate.health.Status;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records health checks with Micrometer: the timer {@value TollgateMeters#HEALTH_CHECK} (tags
 * {@code contributor}, {@code status}) and the gauge {@value TollgateMeters#HEALTH_READY}.
 *
 * <pre>{@code
 * HealthRegistry.builder().observer(new MicrometerHealthObserver(meterRegistry))…
 * }</pre>
 */
public final class MicrometerHealthObserver implements HealthCheckObserver {

    private final MeterRegistry registry;
    private final AtomicInteger ready = new AtomicInteger();

    /**
     * Registers the readiness gauge (0 until the first probe).
     *
     * @param registry where to record
     */
    public MicrometerHealthObserver(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder(TollgateMeters.HEALTH_READY, ready, AtomicInteger::get)
                .description("1 when the last readiness probe was ready, else 0")
                .register(registry);
    }

    /** Records the check's duration. */
    @Override
    public void checked(String name, Status status, Duration duration) {
        Timer.builder(TollgateMeters.HEALTH_CHECK)
                .description("duration of each health contributor's check")
                .tag(TollgateMeters.TAG_CONTRIBUTOR, name)
                .tag(TollgateMeters.TAG_STATUS, status.name())
                .register(registry)
                .record(duration);
    }

    /** Updates the readiness gauge. */
    @Override
    public void reported(HealthReport report) {
        ready.set(report.ready() ? 1 : 0);
    }
}
