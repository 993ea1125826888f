package dev.tollgate.testkit;

import dev.tollgate.webhooks.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed webhook delivery, as a provider would send it: headers and the raw body bytes. Hand it to a
 * pipeline with {@link #toRequest()}, or send it over HTTP with a {@link Replayer} or the {@link Trigger}
 * command.
 *
 * @param provider the provider name the receiving endpoint uses, such as {@code stripe}
 * @param eventId the event id (the idempotency key)
 * @param eventType the event type
 * @param headers header names to values, in the order they are sent (a read-only copy)
 * @param body the raw body bytes (copied in and out)
 */
public record SignedDelivery(String provider, String eventId, String eventType, Map<String, String> headers,
                             byte[] body) {

    /**
     * Refuses nulls and copies headers and body.
     *
     * @param provider the provider name the receiving endpoint uses, such as {@code stripe}
     * @param eventId the event id (the idempotency key)
     * @param eventType the event type
     * @param headers header names to values, in the order they are sent (a read-only copy)
     * @param body the raw body bytes (copied in and out)
     */
    public SignedDelivery {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((name, value) -> copy.put(
                Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value")));
        headers = Collections.unmodifiableMap(copy);
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
     * Returns a header's value, matching the name case-insensitively.
     *
     * @param name the header name
     * @return the value, or empty when the delivery has no such header
     */
    public Optional<String> header(String name) {
        Objects.requireNonNull(name, "name");
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }

    /** @return the delivery as the webhooks pipeline takes it */
    public WebhookRequest toRequest() {
        return WebhookRequest.of(headers, body);
    }

    /**
     * Returns this delivery with a header set (replacing one of the same name in any case), to test
     * refusals: a wrong signature, a stale timestamp.
     *
     * @param name the header name
     * @param value the value
     * @return a new delivery
     */
    public SignedDelivery withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        copy.put(name, value);
        return new SignedDelivery(provider, eventId, eventType, copy, body);
    }

    /**
     * Returns this delivery without a header (matched case-insensitively).
     *
     * @param name the header name
     * @return a new delivery
     */
    public SignedDelivery withoutHeader(String name) {
        Objects.requireNonNull(name, "name");
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        return new SignedDelivery(provider, eventId, eventType, copy, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedDelivery that && provider.equals(that.provider) && eventId.equals(that.eventId)
                && eventType.equals(that.eventType) && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, eventId, eventType, headers, Arrays.hashCode(body));
    }

    /** Names the event, the header names and the body size: header values carry signatures or a bearer secret. */
    @Override
    public String toString() {
        return "SignedDelivery[provider=" + provider + ", eventId=" + eventId + ", eventType=" + eventType
                + ", headers=" + headers.keySet() + ", body=" + body.length + " bytes]";
    }
}
