package dev.tollgate.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event body before it is signed: what a fixture builder produces and a {@link WebhookSigner} signs.
 *
 * @param id the provider's event id (Stripe {@code evt_…}, RevenueCat {@code event.id}, Standard Webhooks
 *           {@code webhook-id})
 * @param type the event type, such as {@code invoice.paid} or {@code RENEWAL}
 * @param created when the provider created the event ({@code created}, {@code event_timestamp_ms} or
 *                {@code timestamp} in the body)
 * @param body the raw JSON bytes (copied in and out)
 */
public record EventPayload(String id, String type, Instant created, byte[] body) {

    /**
     * Refuses nulls and copies the body.
     *
     * @param id the provider's event id (Stripe {@code evt_…}, RevenueCat {@code event.id}, Standard Webhooks
     *     {@code webhook-id})
     * @param type the event type, such as {@code invoice.paid} or {@code RENEWAL}
     * @param created when the provider created the event ({@code created}, {@code event_timestamp_ms} or
     *     {@code timestamp} in the body)
     * @param body the raw JSON bytes (copied in and out)
     */
    public EventPayload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** @return a copy of the raw body bytes */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** @return the body as UTF-8 text */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Returns this event with another body, keeping id, type and time: to sign a malformed or hand-edited body.
     *
     * @param newBody the raw bytes to sign instead
     * @return a new payload
     */
    public EventPayload withBody(byte[] newBody) {
        return new EventPayload(id, type, created, newBody);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventPayload that && id.equals(that.id) && type.equals(that.type)
                && created.equals(that.created) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, created, Arrays.hashCode(body));
    }

    /** Names the event and the body size, not the body. */
    @Override
    public String toString() {
        return "EventPayload[id=" + id + ", type=" + type + ", created=" + created + ", body=" + body.length + " bytes]";
    }
}
