package dev.tollgate.webhooks.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.webhooks.EventFormat;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPayloadException;
import dev.tollgate.webhooks.WebhookPayloadException.Reason;
import dev.tollgate.webhooks.WebhookRequest;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jspecify.annotations.Nullable;

/** Reads the event id, type and creation time out of a verified body, per provider format. */
public final class EventParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private EventParser() {
    }

    /**
     * Parses a delivery.
     *
     * @param format the provider's format
     * @param provider the provider name
     * @param request the verified delivery
     * @return the event
     * @throws WebhookPayloadException when the body is not a readable event
     */
    public static WebhookEvent parse(EventFormat format, String provider, WebhookRequest request) {
        byte[] body = request.body();
        JsonNode json = readObject(body);
        return switch (format) {
            case STRIPE -> new WebhookEvent(provider, id(json.get("id"), "id"), type(json.get("type"), "type"),
                    epochSeconds(json.get("created")), body, json);
            case REVENUECAT -> {
                JsonNode event = json.path("event");
                yield new WebhookEvent(provider, id(event.get("id"), "event.id"), type(event.get("type"), "event.type"),
                        epochMillis(event.get("event_timestamp_ms")), body, json);
            }
            case STANDARD_WEBHOOKS -> {
                String header = request.header("webhook-id").orElse(null);
                JsonNode id = header == null ? null : TextNode.valueOf(header);
                // the payload's time only: webhook-timestamp is the time of this attempt, which a retry changes,
                // and the creation time must be the same for every delivery (it names the event's partition)
                yield new WebhookEvent(provider, id(id, "header webhook-id"), type(json.get("type"), "type"),
                        isoTime(json.get("timestamp")), body, json);
            }
        };
    }

    /**
     * Parses a stored payload again (asynchronous mode), with the id it was stored under.
     *
     * @param format the provider's format
     * @param provider the provider name
     * @param eventId the stored event id
     * @param payload the stored body
     * @return the event
     * @throws WebhookPayloadException when the payload is not a readable event
     */
    public static WebhookEvent parseStored(EventFormat format, String provider, String eventId, byte[] payload) {
        JsonNode json = readObject(payload);
        return switch (format) {
            case STRIPE -> new WebhookEvent(provider, eventId, type(json.get("type"), "type"),
                    epochSeconds(json.get("created")), payload, json);
            case REVENUECAT -> new WebhookEvent(provider, eventId, type(json.path("event").get("type"), "event.type"),
                    epochMillis(json.path("event").get("event_timestamp_ms")), payload, json);
            case STANDARD_WEBHOOKS -> new WebhookEvent(provider, eventId, type(json.get("type"), "type"),
                    isoTime(json.get("timestamp")), payload, json);
        };
    }

    private static JsonNode readObject(byte[] body) {
        if (body.length == 0) {
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body is empty; expected a JSON object", null);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JacksonException e) {
            // The location says where parsing stopped; Jackson's own message may quote content, so it is not used.
            JsonLocation at = e.getLocation();
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body is not valid JSON"
                    + (at == null ? "" : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), null);
        } catch (IOException e) {
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body could not be read as JSON", null);
        }
        if (json == null || !json.isObject()) {
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body is JSON but not an object", null);
        }
        return json;
    }

    private static String id(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new WebhookPayloadException(Reason.MISSING_EVENT_ID, "the event has no " + field, null);
        }
        if (!node.isTextual() || node.textValue().isEmpty()
                || node.textValue().length() > StoreArguments.MAX_EVENT_ID_LENGTH) {
            throw new WebhookPayloadException(Reason.INVALID_EVENT_ID, field + " must be a string of 1 to "
                    + StoreArguments.MAX_EVENT_ID_LENGTH + " characters", null);
        }
        return node.textValue();
    }

    private static String type(@Nullable JsonNode node, String field) {
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw new WebhookPayloadException(Reason.MISSING_EVENT_TYPE, "the event has no string " + field, null);
        }
        return node.textValue();
    }

    private static @Nullable Instant epochSeconds(@Nullable JsonNode node) {
        if (node == null || !node.canConvertToLong()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(node.longValue());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static @Nullable Instant epochMillis(@Nullable JsonNode node) {
        if (node == null || !node.canConvertToLong()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(node.longValue());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static @Nullable Instant isoTime(@Nullable JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.textValue()).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
