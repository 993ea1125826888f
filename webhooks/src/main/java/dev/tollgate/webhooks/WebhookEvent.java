package dev.tollgate.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.tollgate.webhooks.internal.LazyJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A verified webhook event, as handed to a {@link WebhookHandler}.
 *
 * @param provider the provider it came from, such as {@code stripe}
 * @param id the provider's event id, the idempotency key
 * @param type the event type, such as {@code invoice.paid}
 * @param created when the provider created the event, when the payload says; compare it to order
 *                out-of-order deliveries
 * @param payload the raw body bytes (a copy is returned; never log them)
 * @param json the parsed body; treat it as read-only
 */
public record WebhookEvent(String provider, String id, String type, @Nullable Instant created, byte[] payload,
                           JsonNode json) {

    /**
     * Refuses nulls and copies the payload (an event the pipeline parsed from a {@link WebhookRequest} shares the
     * request's body, which that class's contract keeps unmodified).
     *
     * @param provider the provider it came from, such as {@code stripe}
     * @param id the provider's event id, the idempotency key
     * @param type the event type, such as {@code invoice.paid}
     * @param created when the provider created the event, when the payload says; compare it to order
     *     out-of-order deliveries
     * @param payload the raw body bytes (a copy is returned; never log them)
     * @param json the parsed body; treat it as read-only
     */
    public WebhookEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(payload, "payload");
        if (LazyJson.isPending(json)) {
            // built by the pipeline's parser from a delivery's body, which WebhookRequest's contract keeps unmodified:
            // shared, not copied; the tree is read from it on first use
            json = LazyJson.bind(json, payload);
        } else {
            payload = payload.clone();
        }
    }

    /** The payload without a copy, for the store's statements in this package; never modified. */
    byte[] payloadBytes() {
        return payload;
    }

    /** @return a copy of the raw body bytes */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** @return the raw body decoded as UTF-8 */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * Parses the payload as a stripe-java {@link Event} for typed access, whatever its
     * {@code api_version}: the signature was verified already, so it uses stripe-java's
     * {@code Webhook.constructEventWithoutVerification}, which reads the JSON with stripe-java's own Gson
     * and checks no version. For the typed data object of an event whose
     * {@code api_version} differs from stripe-java's, use
     * {@code event.getDataObjectDeserializer().deserializeUnsafe()} (its {@code getObject()} is empty then).
     *
     * <pre>{@code
     * Event stripe = event.stripeEvent();
     * Invoice invoice = (Invoice) stripe.getDataObjectDeserializer().deserializeUnsafe();
     * }</pre>
     *
     * @return the Stripe event
     * @throws WebhookPayloadException if the payload is not a Stripe event
     */
    public Event stripeEvent() {
        try {
            Event event = Webhook.constructEventWithoutVerification(payloadAsString());
            if (event == null || event.getId() == null) {
                throw new WebhookPayloadException(WebhookPayloadException.Reason.MISSING_EVENT_ID,
                        "the payload of " + provider + " event " + id + " is not a Stripe event (no id)", null);
            }
            return event;
        } catch (WebhookPayloadException e) {
            throw e;
        } catch (RuntimeException e) { // Gson's JsonParseException, IllegalStateException, NumberFormatException
            throw new WebhookPayloadException(WebhookPayloadException.Reason.MALFORMED_JSON,
                    "the payload of " + provider + " event " + id + " cannot be read as a Stripe event", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookEvent that && provider.equals(that.provider) && id.equals(that.id)
                && type.equals(that.type) && Objects.equals(created, that.created)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, id, type, created, Arrays.hashCode(payload));
    }

    /** Names the event without its payload, which may hold personal data. */
    @Override
    public String toString() {
        return "WebhookEvent[provider=" + provider + ", id=" + id + ", type=" + type + ", created=" + created
                + ", payload=" + payload.length + " bytes]";
    }
}
