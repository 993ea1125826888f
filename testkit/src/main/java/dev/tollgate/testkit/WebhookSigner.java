package dev.tollgate.testkit;

/**
 * Signs an {@link EventPayload} the way a provider does, producing a {@link SignedDelivery}:
 * {@link StripeSigner}, {@link RevenueCatSigner} or {@link StandardWebhooksSigner}.
 */
public interface WebhookSigner {

    /** @return the provider name the deliveries are for, such as {@code stripe} */
    String provider();

    /**
     * Signs an event.
     *
     * @param event the event body and its id and type
     * @return the delivery, headers and body
     */
    SignedDelivery sign(EventPayload event);
}
