package dev.tollgate.webhooks;

import java.util.Objects;

/**
 * Where a provider's payload keeps the event id, type and creation time.
 *
 * <ul>
 *   <li>{@link #STRIPE}: {@code id}, {@code type}, {@code created} (epoch seconds);</li>
 *   <li>{@link #REVENUECAT}: {@code event.id}, {@code event.type}, {@code event.event_timestamp_ms};</li>
 *   <li>{@link #STANDARD_WEBHOOKS}: the {@code webhook-id} header, {@code type}, {@code timestamp}
 *       (ISO-8601; none when the payload has no {@code timestamp}: the {@code webhook-timestamp} header is
 *       the time of one attempt, not of the event).</li>
 * </ul>
 */
public enum EventFormat {
    /** Stripe events. */
    STRIPE,
    /** RevenueCat events. */
    REVENUECAT,
    /** Standard Webhooks (Svix and every provider following the spec). */
    STANDARD_WEBHOOKS;

    /**
     * The format a provider name implies: {@code stripe} → {@link #STRIPE}, {@code revenuecat} →
     * {@link #REVENUECAT}, anything else → {@link #STANDARD_WEBHOOKS}.
     *
     * @param provider a provider name as returned by {@link WebhookVerifier#provider()}
     * @return the format
     */
    public static EventFormat forProvider(String provider) {
        Objects.requireNonNull(provider, "provider");
        return switch (provider) {
            case "stripe" -> STRIPE;
            case "revenuecat" -> REVENUECAT;
            default -> STANDARD_WEBHOOKS;
        };
    }
}
