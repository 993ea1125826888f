package dev.tollgate.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.webhooks.EventFormat;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPayloadException;
import dev.tollgate.webhooks.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The streaming scan (id, type and creation time without a tree) and the tree built on first use agree with what a
 * full {@code readTree} of the body gives, on well-formed, odd and broken bodies alike: the same event or the same
 * refusal, and the same tree.
 */
class EventParserParityTest {

    private static final ObjectMapper TREE = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static final List<String> BODIES = List.of(
            "{\"id\":\"evt_1\",\"object\":\"event\",\"created\":1767225600,\"type\":\"invoice.paid\","
                    + "\"data\":{\"object\":{\"id\":\"in_1\",\"customer\":\"cus_1\",\"lines\":[1,2,{\"a\":null}]}}}",
            "{\"id\":\"evt_dup\",\"type\":\"a\",\"id\":\"evt_last\",\"type\":\"b\",\"created\":1.5e9}",
            "{\"id\":7,\"type\":\"a\"}",
            "{\"id\":null,\"type\":\"a\"}",
            "{\"id\":\"evt\",\"type\":{\"nested\":true}}",
            "{\"id\":\"evt\",\"type\":\"a\",\"created\":\"1767225600\"}",
            "{\"id\":\"evt\",\"type\":\"a\",\"created\":123456789012345678901234567890}",
            "{\"api_version\":\"1.0\",\"event\":{\"id\":\"rc_1\",\"type\":\"RENEWAL\","
                    + "\"event_timestamp_ms\":1767225600123,\"app_user_id\":\"u\"}}",
            "{\"event\":{\"id\":\"rc_1\"},\"event\":{\"id\":\"rc_2\",\"type\":\"EXPIRATION\"}}",
            "{\"event\":\"not an object\",\"type\":\"x\"}",
            "{\"type\":\"user.created\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"id\":\"u\"}}",
            "{\"type\":\"user.created\",\"timestamp\":\"yesterday\"}",
            "[1,2,3]", "\"just a string\"", "42", "   ", "{}", "{\"id\":\"evt\",\"type\":\"a\"} trailing",
            "{\"id\":\"evt\",\"type\":\"a\"}{}", "{\"id\":\"evt\" \"type\":\"a\"}", "{\"id\":\"evt\",\"type\":\"a\"",
            "[1,2", "{\"id\":\"\u00e9v\u00e9nement\",\"type\":\"a\"}");

    /** The parser before the streaming scan: a whole tree, then the fields. */
    private static Object reference(EventFormat format, byte[] body) {
        try {
            if (body.length == 0) {
                throw new WebhookPayloadException(WebhookPayloadException.Reason.MALFORMED_JSON, "empty", null);
            }
            JsonNode json;
            try {
                json = TREE.readTree(body);
            } catch (Exception e) {
                return "MALFORMED_JSON:not valid";
            }
            if (json == null || !json.isObject()) {
                return "MALFORMED_JSON:not an object";
            }
            JsonNode root = switch (format) {
                case REVENUECAT -> json.path("event");
                default -> json;
            };
            JsonNode id = root.get("id");
            JsonNode type = root.get("type");
            if (format != EventFormat.STANDARD_WEBHOOKS && (id == null || id.isNull())) {
                return "MISSING_EVENT_ID";
            }
            if (format != EventFormat.STANDARD_WEBHOOKS && (!id.isTextual() || id.textValue().isEmpty())) {
                return "INVALID_EVENT_ID";
            }
            if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
                return "MISSING_EVENT_TYPE";
            }
            Instant created = switch (format) {
                case STRIPE -> root.has("created") && root.get("created").canConvertToLong()
                        ? instant(root.get("created").longValue(), false) : null;
                case REVENUECAT -> root.has("event_timestamp_ms") && root.get("event_timestamp_ms").canConvertToLong()
                        ? instant(root.get("event_timestamp_ms").longValue(), true) : null;
                case STANDARD_WEBHOOKS -> {
                    JsonNode t = root.get("timestamp");
                    try {
                        yield t != null && t.isTextual() ? OffsetDateTime.parse(t.textValue()).toInstant() : null;
                    } catch (RuntimeException e) {
                        yield null;
                    }
                }
            };
            String eventId = format == EventFormat.STANDARD_WEBHOOKS ? "msg_1" : id.textValue();
            return List.of(eventId, type.textValue(), Objects.toString(created), json);
        } catch (WebhookPayloadException e) {
            return e.reason() + ":" + "empty";
        }
    }

    private static Instant instant(long value, boolean millis) {
        try {
            return millis ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static Object streaming(EventFormat format, byte[] body) {
        try {
            WebhookEvent event = EventParser.parse(format, "p", WebhookRequest.of(Map.of("webhook-id", "msg_1"), body));
            return List.of(event.id(), event.type(), Objects.toString(event.created()), event.json());
        } catch (WebhookPayloadException e) {
            String message = e.getMessage();
            if (e.reason() == WebhookPayloadException.Reason.MALFORMED_JSON) {
                return "MALFORMED_JSON:" + (message.contains("not an object") ? "not an object"
                        : message.contains("empty") ? "empty" : "not valid");
            }
            return e.reason().name();
        }
    }

    private static void assertSameOutcome(EventFormat format, byte[] body) {
        Object expected = reference(format, body);
        Object actual = streaming(format, body);
        String where = format + " " + new String(body, StandardCharsets.UTF_8);
        if (expected instanceof String) {
            assertEquals(expected, actual, where);
        } else {
            assertTrue(actual instanceof List, where + " → " + actual);
            assertEquals(expected, actual, where); // the lazy tree equals the whole tree
            assertEquals(((List<?>) actual).get(3), ((List<?>) expected).get(3), where + " (other way round)");
        }
    }

    @Test
    @DisplayName("hand-picked bodies: the same event (and tree) or the same refusal as a whole-tree parse")
    void handPicked() {
        for (EventFormat format : EventFormat.values()) {
            for (String body : BODIES) {
                assertSameOutcome(format, body.getBytes(StandardCharsets.UTF_8));
            }
            assertSameOutcome(format, new byte[0]);
        }
    }

    @Test
    @DisplayName("3,000 truncated, spliced and byte-flipped bodies: the same outcome as a whole-tree parse")
    void mutated() {
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> cases = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] base = BODIES.get(random.nextInt(BODIES.size())).getBytes(StandardCharsets.UTF_8);
            if (base.length == 0) {
                continue;
            }
            cases.add(java.util.Arrays.copyOf(base, random.nextInt(base.length)));
            byte[] flipped = base.clone();
            flipped[random.nextInt(flipped.length)] = (byte) "{}[]\",:0a \\".charAt(random.nextInt(11));
            cases.add(flipped);
            byte[] other = BODIES.get(random.nextInt(BODIES.size())).getBytes(StandardCharsets.UTF_8);
            byte[] spliced = new byte[base.length + other.length];
            System.arraycopy(base, 0, spliced, 0, base.length);
            System.arraycopy(other, 0, spliced, base.length, other.length);
            cases.add(spliced);
        }
        for (byte[] body : cases) {
            for (EventFormat format : EventFormat.values()) {
                assertSameOutcome(format, body);
            }
        }
    }

    @Test
    @DisplayName("the tree is built on first use, once, from the delivery's body")
    void treeOnFirstUse() {
        byte[] body = BODIES.get(0).getBytes(StandardCharsets.UTF_8);
        WebhookEvent event = EventParser.parse(EventFormat.STRIPE, "stripe", WebhookRequest.of(Map.of(), body));
        JsonNode json = event.json();
        assertEquals("cus_1", json.at("/data/object/customer").asText());
        assertSame(json.get("data"), event.json().get("data"), "parsed once");
        assertTrue(json instanceof ObjectNode);
        assertEquals(TREE.valueToTree(Map.of("a", 1)), LazyJson.bind(TREE.valueToTree(Map.of("a", 1)),
                new byte[0]), "a tree that is not the placeholder is kept as it is");
    }
}
