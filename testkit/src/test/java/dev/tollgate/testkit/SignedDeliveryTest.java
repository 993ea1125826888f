package dev.tollgate.testkit;

import static dev.tollgate.testkit.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.WebhookRequest;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SignedDeliveryTest {

    private final MutableClock clock = MutableClock.at(NOW);

    @Test
    @DisplayName("no toString of a delivery or a signer shows a secret or a signature")
    void secretsAreMasked() {
        String stripeSecret = "whsec_supersecret_value_1234";
        String bearer = "rc_bearer_supersecret_5678";
        String standard = Fixtures.STANDARD_SECRET;
        List<WebhookSigner> signers = List.of(StripeSigner.of(Secret.of(stripeSecret), clock),
                RevenueCatSigner.of(Secret.of(bearer)), StandardWebhooksSigner.of(Secret.of(standard), clock));
        EventPayload event = StripeEventFixture.invoicePaid().build();
        for (WebhookSigner signer : signers) {
            SignedDelivery delivery = signer.sign(event);
            for (String text : List.of(signer.toString(), delivery.toString(), delivery.toRequest().toString(),
                    event.toString())) {
                assertFalse(text.contains("supersecret"), text);
                assertFalse(text.contains(standard.substring(6, 20)), text);
                for (String name : List.of("Stripe-Signature", "Authorization", "webhook-signature")) {
                    delivery.header(name).ifPresent(value -> assertFalse(text.contains(value), text));
                }
            }
        }
        assertTrue(signers.get(0).toString().contains("whsec_…1234"), signers.get(0).toString());
    }

    @Test
    @DisplayName("toRequest keeps the exact bytes and headers; withHeader/withoutHeader match names in any case")
    void requestAndHeaders() {
        SignedDelivery delivery = StripeSigner.of(Secret.of(Fixtures.STRIPE_SECRET), clock)
                .sign(StripeEventFixture.invoicePaid().build());
        WebhookRequest request = delivery.toRequest();
        assertArrayEquals(delivery.body(), request.body());
        assertEquals(delivery.header("Stripe-Signature"), request.header("stripe-signature"));
        SignedDelivery tampered = delivery.withHeader("stripe-signature", "t=1,v1=00");
        assertEquals("t=1,v1=00", tampered.header("Stripe-Signature").orElseThrow());
        assertEquals(delivery.headers().size(), tampered.headers().size());
        assertTrue(delivery.withoutHeader("STRIPE-SIGNATURE").header("Stripe-Signature").isEmpty());
        assertNotEquals(delivery, tampered);
        assertEquals(delivery, new SignedDelivery(delivery.provider(), delivery.eventId(), delivery.eventType(),
                delivery.headers(), delivery.body()));
    }

    @Test
    @DisplayName("bodies are copied in and out: changing an array changes no delivery")
    void bodiesAreCopied() {
        byte[] body = "{\"id\":\"evt_1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        EventPayload event = new EventPayload("evt_1", "invoice.paid", NOW, body);
        body[0] = 'X';
        assertEquals('{', event.body()[0]);
        event.body()[0] = 'Y';
        assertEquals('{', event.body()[0]);
        SignedDelivery delivery = RevenueCatSigner.of(Secret.of("token-0123456789abc")).sign(event);
        delivery.body()[0] = 'Z';
        assertEquals('{', delivery.body()[0]);
        assertEquals("not json", event.withBody("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .bodyAsString());
    }
}
