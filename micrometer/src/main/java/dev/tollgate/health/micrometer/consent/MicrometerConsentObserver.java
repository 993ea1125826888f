package dev.tollgate.health.micrometer.consent;

import dev.tollgate.consent.ConsentChoice;
import dev.tollgate.consent.ConsentObserver;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts consent records as {@value TollgateMeters#CONSENT_WRITES} with tag {@code action} = {@code grant} or
 * {@code withdraw}.
 *
 * <pre>{@code
 * ConsentService consent = ConsentService.builder().repository(repository).clock(clock)
 *         .observer(new MicrometerConsentObserver(meterRegistry)).build();
 * }</pre>
 */
public final class MicrometerConsentObserver implements ConsentObserver {

    private final MeterRegistry registry;

    /**
     * An observer publishing to a registry.
     *
     * @param registry the registry
     */
    public MicrometerConsentObserver(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts the record as a grant or a withdrawal. */
    @Override
    public void recorded(ConsentChoice choice, boolean withdrawal) {
        Counter.builder(TollgateMeters.CONSENT_WRITES)
                .description("consent records appended")
                .tag(TollgateMeters.TAG_ACTION, withdrawal ? "withdraw" : "grant")
                .register(registry).increment();
    }

    @Override
    public String toString() {
        return "MicrometerConsentObserver[" + registry.getClass().getSimpleName() + "]";
    }
}
