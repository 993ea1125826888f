package dev.tollgate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StripeEventFixtureTest {

    private static final long NOW = System.currentTimeMillis() / 1000;

    @Test
    void payloadIsExactly2KbOfValidJsonWithTheGivenId() throws Exception {
        for (String id : new String[] {"e", "evt_1QbXyZ2eZvKYlo2CbenchOne", "evt_" + "x".repeat(196)}) {
            String payload = StripeEventFixture.subscriptionUpdated(id);
            assertEquals(StripeEventFixture.PAYLOAD_BYTES, payload.getBytes(StandardCharsets.UTF_8).length);
            JsonNode json = new ObjectMapper().readTree(payload);
            assertEquals(id, json.get("id").asText());
            assertEquals("customer.subscription.updated", json.get("type").asText());
            assertEquals("sub_1QbXyZ2eZvKYlo2C0a1b2c3d", json.at("/data/object/id").asText());
        }
    }

    @Test
    void refusesIdsThatWouldBreakTheJsonOrTheSize() {
        assertThrows(IllegalArgumentException.class, () -> StripeEventFixture.subscriptionUpdated("evt_\"quoted"));
        assertThrows(IllegalArgumentException.class, () -> StripeEventFixture.subscriptionUpdated("evt_" + "x".repeat(197)));
        assertThrows(IllegalArgumentException.class, () -> StripeEventFixture.subscriptionUpdated("evt é"));
        assertThrows(NullPointerException.class, () -> StripeEventFixture.subscriptionUpdated(null));
    }

    @Test
    void stripeJavaAcceptsTheSignedFixture() throws SignatureVerificationException {
        String payload = StripeEventFixture.subscriptionUpdated("evt_fixtureCheck");
        String header = StripeEventFixture.signatureHeader(payload, NOW, StripeEventFixture.SECRET);
        assertTrue(Webhook.Signature.verifyHeader(payload, header, StripeEventFixture.SECRET, 300));
        Event event = Webhook.constructEvent(payload, header, StripeEventFixture.SECRET);
        assertEquals("evt_fixtureCheck", event.getId());
        assertEquals("customer.subscription.updated", event.getType());
    }

    @Test
    void stripeJavaRejectsATamperedPayload() {
        String payload = StripeEventFixture.subscriptionUpdated("evt_fixtureCheck");
        String header = StripeEventFixture.signatureHeader(payload, NOW, StripeEventFixture.SECRET);
        assertThrows(SignatureVerificationException.class, () -> Webhook.Signature.verifyHeader(
                payload.replace("past_due", "active__"), header, StripeEventFixture.SECRET, 300));
    }

    @Test
    void headerHasStripesShape() {
        String header = StripeEventFixture.signatureHeader("{}", 1_700_000_000L, "whsec_x");
        assertTrue(header.matches("t=1700000000,v1=[0-9a-f]{64}"), header);
        assertFalse(header.contains("whsec_"));
    }

    @Test
    void eventIdsAreRandomAndStripeShaped() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = EventIds.random();
            assertTrue(id.matches("evt_[0-9a-z]{2,26}"), id);
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
    }
}
