package dev.tollgate.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.billing.BillingException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Tolerant readers for provider JSON: absent and {@code null} are the same; wrong types are errors. */
final class Json {

    private Json() {
    }

    static @Nullable String text(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw malformed(what + " has a non-string '" + field + "'");
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }

    /** A field that is either an id string or an expanded object with an {@code id}. */
    static @Nullable String idOf(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isObject()) {
            return text(value, "id", what + "." + field);
        }
        return text(node, field, what);
    }

    static @Nullable Instant epochSeconds(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw malformed(what + " has a non-integer '" + field + "'");
        }
        return Instant.ofEpochSecond(value.asLong());
    }

    static @Nullable Instant epochMillis(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw malformed(what + " has a non-integer '" + field + "'");
        }
        return Instant.ofEpochMilli(value.asLong());
    }

    static @Nullable Instant isoInstant(JsonNode node, String field, String what) {
        String text = text(node, field, what);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw malformed(what + " has a '" + field + "' that is not an ISO-8601 instant");
        }
    }

    static JsonNode object(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw malformed(what + " has no '" + field + "' object");
        }
        return value;
    }

    static @Nullable JsonNode optionalObject(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw malformed(what + " has a '" + field + "' that is not an object");
        }
        return value;
    }

    static BillingException malformed(String what) {
        return new BillingException(BillingException.Reason.MALFORMED_EVENT, "malformed provider object: " + what);
    }
}
