package dev.tollgate.health.micrometer.legal;

import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.LegalObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;

/**
 * Counts legal acceptances as {@value TollgateMeters#LEGAL_ACCEPTANCES} with tag {@code document} = the kind
 * ({@code terms}, {@code privacy}, {@code imprint}, {@code dpa}; any other kind is {@code other}). Versions are
 * not tags.
 *
 * <pre>{@code
 * LegalService legal = LegalService.builder().repository(repository).clock(clock)
 *         .observer(new MicrometerLegalObserver(meterRegistry)).build();
 * }</pre>
 */
public final class MicrometerLegalObserver implements LegalObserver {

    private static final Set<String> KINDS = Set.of("terms", "privacy", "imprint", "dpa");

    private final MeterRegistry registry;

    /**
     * An observer publishing to a registry.
     *
     * @param registry the registry
     */
    public MicrometerLegalObserver(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts the acceptance by document kind. */
    @Override
    public void accepted(DocumentKind kind, String version) {
        Counter.builder(TollgateMeters.LEGAL_ACCEPTANCES)
                .description("legal document acceptances recorded")
                .tag(TollgateMeters.TAG_DOCUMENT, KINDS.contains(kind.name()) ? kind.name() : "other")
                .register(registry).increment();
    }

    @Override
    public String toString() {
        return "MicrometerLegalObserver[" + registry.getClass().getSimpleName() + "]";
    }
}
