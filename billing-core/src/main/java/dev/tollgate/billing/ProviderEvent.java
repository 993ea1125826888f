package dev.tollgate.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Objects;

/**
 * A provider's webhook event, parsed but not yet applied: the provider, the event's id, type and
 * creation time (the provider's clock, used for out-of-order safety), and the raw JSON payload.
 *
 * <pre>{@code
 * ProviderEvent event = ProviderEvent.parse(BillingProvider.STRIPE, requestBody);
 * }</pre>
 *
 * <p>For Stripe the payload is the event envelope ({@code id}, {@code type}, {@code created} in
 * seconds, {@code data.object}); for RevenueCat it is the webhook body ({@code event.id},
 * {@code event.type}, {@code event.event_timestamp_ms}). The payload is not copied: do not modify it
 * after creating the event. {@link #toString()} never shows the payload (it holds personal data).
 *
 * @param provider the provider
 * @param id the provider's event id
 * @param type the provider's event type, such as {@code invoice.paid} or {@code RENEWAL}
 * @param created when the provider created the event
 * @param payload the whole JSON body as received
 */
public record ProviderEvent(BillingProvider provider, String id, String type, Instant created, JsonNode payload) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates the fields.
     *
     * @param provider the provider
     * @param id the provider's event id
     * @param type the provider's event type, such as {@code invoice.paid} or {@code RENEWAL}
     * @param created when the provider created the event
     * @param payload the whole JSON body as received
     */
    public ProviderEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Parses a raw webhook body.
     *
     * @param provider the provider that sent it
     * @param body the JSON body
     * @return the event
     * @throws BillingException with {@link BillingException.Reason#MALFORMED_EVENT} if the body is not
     *     JSON or lacks the event id, type or creation time
     */
    public static ProviderEvent parse(BillingProvider provider, String body) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(body, "body");
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new BillingException(BillingException.Reason.MALFORMED_EVENT, "the " + provider.wireName()
                    + " webhook body is not valid JSON" + where + ": check that the raw request body is passed unchanged");
        }
        if (node == null || node.isMissingNode()) {
            throw new BillingException(BillingException.Reason.MALFORMED_EVENT,
                    "the " + provider.wireName() + " webhook body is empty");
        }
        return of(provider, node);
    }

    /**
     * Reads the id, type and creation time from a parsed webhook body.
     *
     * @param provider the provider that sent it
     * @param payload the parsed JSON body
     * @return the event
     * @throws BillingException with {@link BillingException.Reason#MALFORMED_EVENT} if a field is missing
     */
    public static ProviderEvent of(BillingProvider provider, JsonNode payload) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(payload, "payload");
        if (!payload.isObject()) {
            throw malformed(provider, "the body is not a JSON object");
        }
        switch (provider) {
            case STRIPE: {
                String id = text(payload, "id", provider);
                String type = text(payload, "type", provider);
                JsonNode created = payload.get("created");
                if (created == null || !created.isIntegralNumber() || created.asLong() < 0) {
                    throw malformed(provider, "event " + id + " has no integer 'created' (seconds since the epoch)");
                }
                return new ProviderEvent(provider, id, type, Instant.ofEpochSecond(created.asLong()), payload);
            }
            case REVENUECAT: {
                JsonNode event = payload.get("event");
                if (event == null || !event.isObject()) {
                    throw malformed(provider, "the body has no 'event' object");
                }
                String id = text(event, "id", provider);
                String type = text(event, "type", provider);
                JsonNode at = event.get("event_timestamp_ms");
                if (at == null || !at.isIntegralNumber() || at.asLong() < 0) {
                    throw malformed(provider, "event " + id + " has no integer 'event_timestamp_ms'");
                }
                return new ProviderEvent(provider, id, type, Instant.ofEpochMilli(at.asLong()), payload);
            }
            default:
                throw new IllegalStateException("unhandled provider " + provider);
        }
    }

    private static String text(JsonNode node, String field, BillingProvider provider) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw malformed(provider, "the event has no '" + field + "' string");
        }
        return value.asText();
    }

    private static BillingException malformed(BillingProvider provider, String what) {
        return new BillingException(BillingException.Reason.MALFORMED_EVENT,
                "malformed " + provider.wireName() + " event: " + what);
    }

    /** Names the event without its payload, which holds personal data. */
    @Override
    public String toString() {
        return "ProviderEvent[" + provider.wireName() + " " + type + " " + id + " created " + created + "]";
    }
}
