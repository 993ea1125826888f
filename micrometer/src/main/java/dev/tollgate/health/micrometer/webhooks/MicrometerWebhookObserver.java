package dev.tollgate.health.micrometer.webhooks;

import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.webhooks.WebhookObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Publishes the webhook pipeline's refusals and outcomes as {@value TollgateMeters#WEBHOOK_VERIFICATION_FAILURES},
 * {@value TollgateMeters#WEBHOOK_EVENTS}, {@value TollgateMeters#WEBHOOK_PROCESSING} and
 * {@value TollgateMeters#WEBHOOK_DEAD_LETTERS}. Tags stay low-cardinality whatever arrives: a provider other than
 * {@code stripe}, {@code revenuecat}, {@code standard} is {@code other} (the endpoint's provider is chosen by the
 * caller), reason codes are folded into the catalogue's reasons, and an event type that is not a short dotted
 * name is {@code other}.
 *
 * <pre>{@code
 * WebhookPipeline pipeline = WebhookPipeline.builder()
 *         .verifier(stripeVerifier).store(store).on("invoice.paid", handler)
 *         .observer(new MicrometerWebhookObserver(meterRegistry))
 *         .build();
 * }</pre>
 */
public final class MicrometerWebhookObserver implements WebhookObserver {

    private static final Set<String> PROVIDERS = Set.of("stripe", "revenuecat", "standard");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("missing_header", "missing_signature"),
            Map.entry("no_signature", "missing_signature"),
            Map.entry("missing_authorization", "missing_signature"),
            Map.entry("signature_mismatch", "invalid_signature"),
            Map.entry("authorization_mismatch", "invalid_signature"),
            Map.entry("timestamp_outside_tolerance", "timestamp_outside_tolerance"),
            Map.entry("malformed_header", "malformed_header"),
            Map.entry("too_many_signatures", "malformed_header"),
            Map.entry("malformed_json", "malformed_body"),
            Map.entry("missing_event_id", "malformed_body"),
            Map.entry("invalid_event_id", "malformed_body"),
            Map.entry("missing_event_type", "malformed_body"),
            Map.entry("invalid_event_object", "malformed_body"),
            Map.entry("unknown_provider", "unknown_provider"),
            Map.entry("body_too_large", "body_too_large"));

    private final MeterRegistry registry;

    /**
     * An observer publishing to a registry.
     *
     * @param registry the registry
     */
    public MicrometerWebhookObserver(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Counts a refused delivery by provider and reason. */
    @Override
    public void deliveryRefused(String provider, String reason) {
        Counter.builder(TollgateMeters.WEBHOOK_VERIFICATION_FAILURES)
                .description("webhook deliveries refused before processing")
                .tag(TollgateMeters.TAG_PROVIDER, provider(provider))
                .tag(TollgateMeters.TAG_REASON, REASONS.getOrDefault(reason, "other"))
                .register(registry).increment();
    }

    /** Counts the outcome; times handler runs; counts dead letters. */
    @Override
    public void eventHandled(String provider, String eventType, Outcome outcome, Duration duration) {
        String p = provider(provider);
        Counter.builder(TollgateMeters.WEBHOOK_EVENTS)
                .description("webhook deliveries that passed verification, by outcome")
                .tag(TollgateMeters.TAG_PROVIDER, p)
                .tag(TollgateMeters.TAG_TYPE, EVENT_TYPE.matcher(eventType).matches() ? eventType : "other")
                .tag(TollgateMeters.TAG_OUTCOME, outcome(outcome))
                .register(registry).increment();
        if (outcome == Outcome.DUPLICATE || outcome == Outcome.IN_PROGRESS) {
            return;
        }
        Timer.builder(TollgateMeters.WEBHOOK_PROCESSING)
                .description("handler time of verified webhook deliveries")
                .tag(TollgateMeters.TAG_PROVIDER, p)
                .tag(TollgateMeters.TAG_OUTCOME, outcome == Outcome.PROCESSED ? "processed" : "failed")
                .register(registry).record(duration);
        if (outcome == Outcome.DEAD_LETTERED || outcome == Outcome.REJECTED) {
            Counter.builder(TollgateMeters.WEBHOOK_DEAD_LETTERS)
                    .description("events dead-lettered after their last attempt")
                    .tag(TollgateMeters.TAG_PROVIDER, p)
                    .register(registry).increment();
        }
    }

    private static String provider(String provider) {
        return PROVIDERS.contains(provider) ? provider : "other";
    }

    private static String outcome(Outcome outcome) {
        return switch (outcome) {
            case PROCESSED -> "processed";
            case DUPLICATE -> "duplicate";
            case IN_PROGRESS -> "in_progress";
            case FAILED -> "failed";
            case DEAD_LETTERED -> "dead";
            case REJECTED -> "rejected";
        };
    }

    @Override
    public String toString() {
        return "MicrometerWebhookObserver[" + registry.getClass().getSimpleName() + "]";
    }
}
