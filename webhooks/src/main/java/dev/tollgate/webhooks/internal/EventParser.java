package dev.tollgate.webhooks.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the event id, type and creation time out of a verified body, per provider format. */
public final class EventParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

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
        Fields json = scan(format, body);
        return switch (format) {
            case STRIPE -> new WebhookEvent(provider, id(json.get("id"), "id"), type(json.get("type"), "type"),
                    epochSeconds(json.get("created")), body, LazyJson.pending());
            case REVENUECAT -> new WebhookEvent(provider, id(json.event("id"), "event.id"),
                    type(json.event("type"), "event.type"), epochMillis(json.event("event_timestamp_ms")), body,
                    LazyJson.pending());
            case STANDARD_WEBHOOKS -> {
                String header = request.header("webhook-id").orElse(null);
                JsonNode id = header == null ? null : TextNode.valueOf(header);
                // the payload's time only: webhook-timestamp is the time of this attempt, which a retry changes,
                // and the creation time must be the same for every delivery (it names the event's partition)
                yield new WebhookEvent(provider, id(id, "header webhook-id"), type(json.get("type"), "type"),
                        isoTime(json.get("timestamp")), body, LazyJson.pending());
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
        Fields json = scan(format, payload);
        return switch (format) {
            case STRIPE -> new WebhookEvent(provider, eventId, type(json.get("type"), "type"),
                    epochSeconds(json.get("created")), payload, LazyJson.pending());
            case REVENUECAT -> new WebhookEvent(provider, eventId, type(json.event("type"), "event.type"),
                    epochMillis(json.event("event_timestamp_ms")), payload, LazyJson.pending());
            case STANDARD_WEBHOOKS -> new WebhookEvent(provider, eventId, type(json.get("type"), "type"),
                    isoTime(json.get("timestamp")), payload, LazyJson.pending());
        };
    }

    private static final Set<String> STRIPE_FIELDS = Set.of("id", "type", "created");
    private static final Set<String> STANDARD_FIELDS = Set.of("type", "timestamp");
    private static final Set<String> REVENUECAT_EVENT = Set.of("id", "type", "event_timestamp_ms");

    /**
     * The few values a format reads, as the tree would hold them (the last of duplicate names wins, as in
     * {@code ObjectMapper.readTree}); RevenueCat's are inside the top-level {@code event} object.
     */
    private static final class Fields {
        private Map<String, JsonNode> top = Map.of();
        private Map<String, JsonNode> event = Map.of();

        @Nullable JsonNode get(String name) {
            return top.get(name);
        }

        @Nullable JsonNode event(String name) {
            return event.get(name);
        }
    }

    /**
     * Reads the whole body with a streaming parser, as strictly as {@code readTree} with trailing tokens refused,
     * keeping only the values {@code format} needs: no tree of the body and no string of it (the tree is built
     * only if a handler asks for it, see {@link LazyJson}).
     */
    private static Fields scan(EventFormat format, byte[] body) {
        if (body.length == 0) {
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body is empty; expected a JSON object", null);
        }
        try (JsonParser p = MAPPER.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                refuseTrailingTokens(p);
                throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body is JSON but not an object", null);
            }
            Fields fields = new Fields();
            if (format == EventFormat.REVENUECAT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("event".equals(name)) {
                        // a later "event" replaces an earlier one, as in the tree; one that is no object has no members
                        fields.event = value == JsonToken.START_OBJECT ? members(p, REVENUECAT_EVENT) : Map.of();
                    }
                    p.skipChildren();
                }
            } else {
                p.nextToken();
                fields.top = membersFromHere(p, format == EventFormat.STRIPE ? STRIPE_FIELDS : STANDARD_FIELDS);
            }
            refuseTrailingTokens(p);
            return fields;
        } catch (JacksonException e) {
            // The location says where parsing stopped; Jackson's own message may quote content, so it is not used.
            JsonLocation at = e.getLocation();
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body is not valid JSON"
                    + (at == null ? "" : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), null);
        } catch (IOException e) {
            throw new WebhookPayloadException(Reason.MALFORMED_JSON, "the body could not be read as JSON", null);
        }
    }

    /** The wanted members of the object whose START_OBJECT the parser has just read; ends on its END_OBJECT. */
    private static Map<String, JsonNode> members(JsonParser p, Set<String> wanted) throws IOException {
        p.nextToken();
        return membersFromHere(p, wanted);
    }

    /** As {@link #members}, with the parser already on the object's first FIELD_NAME (or its END_OBJECT). */
    private static Map<String, JsonNode> membersFromHere(JsonParser p, Set<String> wanted) throws IOException {
        Map<String, JsonNode> values = new HashMap<>(4);
        for (JsonToken t = p.currentToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            if (wanted.contains(name)) {
                values.put(name, value(p)); // the member's value alone, as the tree holds it
            } else {
                p.skipChildren();
            }
        }
        return values;
    }

    /**
     * The value the parser is at, as {@code readTree} makes it: strings and integers that fit a long directly (the
     * usual id, type and time), anything else through {@code readTree} itself.
     */
    private static JsonNode value(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return TextNode.valueOf(p.getText());
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.INT) {
                return IntNode.valueOf(p.getIntValue());
            }
            if (type == JsonParser.NumberType.LONG) {
                return LongNode.valueOf(p.getLongValue());
            }
        }
        return MAPPER.readTree(p);
    }

    /** As {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}: nothing may follow the root value. */
    private static void refuseTrailingTokens(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "trailing token after the root value");
        }
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
