package dev.tollgate.testkit;

import static dev.tollgate.testkit.Fixtures.NOW;
import static dev.tollgate.testkit.Fixtures.STANDARD_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.Secret;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StandardWebhooksFixtureTest {

    private final MutableClock clock = MutableClock.at(NOW);

    @Test
    @DisplayName("the verifier accepts the signature and the pipeline parses webhook-id, type and timestamp")
    void acceptedAndParsed() {
        StandardWebhooksVerifier verifier = StandardWebhooksVerifier.builder().provider("acme")
                .secret(STANDARD_SECRET).clock(clock).build();
        List<WebhookEvent> seen = new CopyOnWriteArrayList<>();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier)
                .store(InMemoryIdempotencyStore.builder().clock(clock).build()).on("*", seen::add).build();
        EventPayload event = StandardWebhooksEventFixture.of("subscription.updated").id("msg_1")
                .timestamp(NOW.minusSeconds(30)).data(Map.of("tenant_id", "t-1", "seats", 3)).build();
        SignedDelivery delivery = StandardWebhooksSigner.of("acme", Secret.of(STANDARD_SECRET), clock).sign(event);
        assertEquals("acme", delivery.provider());
        assertEquals("msg_1", delivery.header("webhook-id").orElseThrow());
        assertEquals(Long.toString(NOW.getEpochSecond()), delivery.header("webhook-timestamp").orElseThrow());
        assertEquals(WebhookResult.processed("msg_1"), pipeline.handle("acme", delivery.toRequest()));
        assertEquals("subscription.updated", seen.get(0).type());
        assertEquals(NOW.minusSeconds(30), seen.get(0).created());
        assertEquals(3, seen.get(0).json().at("/data/seats").asInt());

        SignedDelivery stale = StandardWebhooksSigner.of("acme", Secret.of(STANDARD_SECRET), clock)
                .sign(event, NOW.minusSeconds(301));
        assertEquals(SignatureException.Reason.TIMESTAMP_OUTSIDE_TOLERANCE,
                assertThrows(SignatureException.class, () -> verifier.verify(stale.toRequest())).reason());
    }

    @Test
    @DisplayName("the signer reproduces the specification's published known-answer signature")
    void knownAnswerVector() {
        JsonNode vectors = Fixtures.providerSample("standard_webhooks_vectors.json");
        int checked = 0;
        for (JsonNode v : vectors) {
            if (!"verify".equals(v.path("operation").asText()) || !v.path("valid").asBoolean()
                    || v.path("derived").asBoolean() || v.path("signature").isNull()
                    || v.path("signature").asText().contains(" ")) {
                continue;
            }
            StandardWebhooksSigner signer = StandardWebhooksSigner.of(Secret.of(v.get("secret").asText()),
                    MutableClock.at(Instant.ofEpochSecond(v.get("timestamp").asLong())));
            String signature = signer.signature(v.get("msg_id").asText(), v.get("timestamp").asLong(),
                    v.get("payload").asText().getBytes(StandardCharsets.UTF_8));
            assertTrue(v.get("signature").asText().contains("v1," + signature), v.get("name").asText());
            checked++;
        }
        assertTrue(checked > 0, "no valid, non-derived verify vector found");
    }

    @Test
    @DisplayName("a secret that is not base64 is refused, masked; an id with '.' is refused by the builder")
    void badInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardWebhooksSigner.of(Secret.of("whsec_not*base64*at*all!!"), clock));
        assertFalse(e.getMessage().contains("not*base64*at*all"), e.getMessage());
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> StandardWebhooksEventFixture.of("a").id("msg.1").build());
        assertTrue(id.getMessage().contains("must not contain '.'"), id.getMessage());
    }
}
