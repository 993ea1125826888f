package dev.tollgate.webhooks;

/**
 * Decides whether a delivery really comes from its provider. Implementations: {@link StripeVerifier},
 * {@link RevenueCatVerifier}, {@link StandardWebhooksVerifier}.
 *
 * <p>Implementations are immutable, thread-safe, compare secrets in constant time, and refuse a body
 * larger than their limit before hashing it.
 */
public interface WebhookVerifier {

    /**
     * The provider this verifier speaks for, as stored with each event: {@code stripe},
     * {@code revenuecat}, or the name given to a Standard Webhooks verifier.
     *
     * @return a short, lower-case provider name
     */
    String provider();

    /**
     * Verifies a delivery.
     *
     * @param request the delivery with its raw body
     * @throws SignatureException with a typed {@link SignatureException.Reason} when it is refused
     */
    void verify(WebhookRequest request);
}
