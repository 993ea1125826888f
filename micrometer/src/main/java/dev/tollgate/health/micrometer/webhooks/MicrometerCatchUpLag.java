package dev.tollgate.health.micrometer.webhooks;

import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.webhooks.StripeCatchUp;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauge {@value TollgateMeters#WEBHOOK_CATCHUP_LAG}: seconds since the time up to which a finished
 * {@link StripeCatchUp} run has seen every event ({@link StripeCatchUp#lag()}), read from its cursor at every
 * scrape; {@code NaN} (no sample) until a run finished or while the database cannot be read. For the dashboard's
 * catch-up panel and the {@code TollgateCatchUpLagging} alert.
 *
 * <pre>{@code
 * MicrometerCatchUpLag.register(meterRegistry, stripeCatchUp);
 * }</pre>
 */
public final class MicrometerCatchUpLag {

    private static final Logger LOG = LoggerFactory.getLogger(MicrometerCatchUpLag.class);
    private static final Set<String> PROVIDERS = Set.of("stripe", "revenuecat", "standard");

    private MicrometerCatchUpLag() {
    }

    /**
     * Registers the gauge, tagged with the catch-up's provider ({@code other} for a name outside the catalogue).
     *
     * @param registry where to register
     * @param catchUp the catch-up whose cursor is read
     * @return the gauge
     */
    public static Gauge register(MeterRegistry registry, StripeCatchUp catchUp) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(catchUp, "catchUp");
        String provider = PROVIDERS.contains(catchUp.provider()) ? catchUp.provider() : "other";
        return Gauge.builder(TollgateMeters.WEBHOOK_CATCHUP_LAG, catchUp, MicrometerCatchUpLag::seconds)
                .tag(TollgateMeters.TAG_PROVIDER, provider)
                .description("seconds since the time up to which a finished catch-up has seen every provider event")
                .strongReference(true)
                .register(registry);
    }

    private static double seconds(StripeCatchUp catchUp) {
        try {
            return catchUp.lag().map(lag -> lag.toMillis() / 1000.0).orElse(Double.NaN);
        } catch (RuntimeException e) {
            LOG.debug("catch-up lag not readable: {}", e.getMessage());
            return Double.NaN;
        }
    }
}
