package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WebhookResultTest {

    @Test
    @DisplayName("the JSON body escapes any event id, and round-trips")
    void jsonEscapes() throws Exception {
        String nasty = "evt_\"quoted\"\\back\nslash</script>\u0000✓";
        WebhookResult result = WebhookResult.skipped("already_processed", nasty);
        JsonNode parsed = new ObjectMapper().readTree(result.toJson());
        assertEquals("skipped", parsed.get("status").asText());
        assertEquals("already_processed", parsed.get("reason").asText());
        assertEquals(nasty, parsed.get("event_id").asText());
        assertEquals(3, parsed.size());
    }

    @Test
    @DisplayName("each outcome has the status code of the design: 200, 409, 4xx, 500, 503")
    void statuses() {
        assertEquals(200, WebhookResult.processed("e").httpStatus());
        assertEquals(200, WebhookResult.queued("e").httpStatus());
        assertEquals(409, WebhookResult.inProgress("e").httpStatus());
        assertEquals(401, WebhookResult.rejected(401, "authorization_mismatch").httpStatus());
        assertEquals(500, WebhookResult.failed("handler_failed", "e").httpStatus());
        assertEquals("{\"status\":\"unavailable\",\"reason\":\"store_unavailable\"}",
                WebhookResult.storeUnavailable().toJson());
        assertTrue(WebhookResult.processed("e").isSuccess());
        assertFalse(WebhookResult.inProgress("e").isSuccess());
        assertThrows(IllegalArgumentException.class, () -> new WebhookResult(99, "x", null, null));
        assertThrows(IllegalArgumentException.class, () -> new WebhookResult(600, "x", null, null));
    }

    @Test
    @DisplayName("a WebhookEvent copies its payload and never prints it")
    void eventPayloadIsCopiedAndHidden() {
        byte[] body = "{\"email\":\"jane@example.com\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        WebhookEvent event = new WebhookEvent("stripe", "evt_1", "t", null, body,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        body[0] = 'X';
        assertEquals('{', event.payload()[0]);
        event.payload()[0] = 'Y';
        assertEquals('{', event.payload()[0]);
        assertFalse(event.toString().contains("jane"), event.toString());
    }
}
