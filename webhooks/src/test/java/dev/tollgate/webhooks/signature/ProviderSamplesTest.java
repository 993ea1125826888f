package dev.tollgate.webhooks.signature;

import static dev.tollgate.webhooks.signature.TestSigner.stripeHeader;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.net.Webhook;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Payloads in the shapes Stripe (API objects, {@code stripe trigger} fixtures) and RevenueCat (documentation
 * samples) publish, from test-fixtures/provider-samples, signed by the test.
 */
class ProviderSamplesTest {

    private static final String SECRET = "whsec_samplesSAMPLESsamples0123456789";
    private static final long NOW = 1_763_900_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private static List<Path> samples(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(SharedFixtures.providerSamples())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void stripeSamplesVerifyAsRawBytesAndAsEventEnvelopes() throws Exception {
        StripeVerifier verifier = StripeVerifier.builder().secret(SECRET).clock(CLOCK).build();
        List<Path> files = samples("stripe_");
        assertTrue(files.size() >= 10, "expected the Stripe API and CLI samples, found " + files);
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            byte[] raw = Files.readAllBytes(file);
            String header = stripeHeader(SECRET, NOW, raw);
            assertDoesNotThrow(() -> verifier.verify(WebhookRequest.of(Map.of("Stripe-Signature", header), raw)),
                    file.getFileName().toString());
            // stripe-java agrees on the same bytes and header.
            assertTrue(Webhook.Signature.verifyHeader(new String(raw, StandardCharsets.UTF_8), header, SECRET, 300, CLOCK));

            // The object as Stripe would deliver it inside an event, bytes kept verbatim.
            ByteArrayOutputStream envelope = new ByteArrayOutputStream();
            envelope.writeBytes(("{\n  \"id\": \"evt_sample\",\n  \"object\": \"event\",\n  \"type\": \"sample.updated\","
                    + "\n  \"data\": {\n    \"object\": ").getBytes(StandardCharsets.UTF_8));
            envelope.writeBytes(raw);
            envelope.writeBytes("\n  }\n}\n".getBytes(StandardCharsets.UTF_8));
            byte[] event = envelope.toByteArray();
            assertDoesNotThrow(() -> verifier.verify(event, stripeHeader(SECRET, NOW, event)), file.getFileName().toString());

            // Re-serializing the parsed JSON changes the bytes: the signature no longer matches.
            byte[] reserialized = json.writeValueAsBytes(json.readTree(event));
            assertFalse(java.util.Arrays.equals(event, reserialized));
            SignatureException refused = assertThrows(SignatureException.class,
                    () -> verifier.verify(reserialized, stripeHeader(SECRET, NOW, event)));
            assertEquals(Reason.SIGNATURE_MISMATCH, refused.reason());
        }
    }

    @Test
    void revenueCatSamplesPassWithTheConfiguredAuthorizationOnly() throws Exception {
        RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization("Bearer rc_webhook_auth_0123456789").build();
        List<Path> files = samples("revenuecat_");
        assertTrue(files.size() >= 10, "expected the RevenueCat samples, found " + files);
        for (Path file : files) {
            byte[] raw = Files.readAllBytes(file);
            assertDoesNotThrow(() -> verifier.verify(WebhookRequest.of(
                    Map.of("Authorization", "Bearer rc_webhook_auth_0123456789"), raw)), file.getFileName().toString());
            assertDoesNotThrow(() -> verifier.verify(WebhookRequest.of(
                    Map.of("authorization", "rc_webhook_auth_0123456789"), raw)), file.getFileName().toString());
            assertEquals(Reason.AUTHORIZATION_MISMATCH, assertThrows(SignatureException.class, () -> verifier.verify(
                    WebhookRequest.of(Map.of("Authorization", "Bearer rc_webhook_auth_012345678"), raw))).reason());
            assertEquals(Reason.MISSING_AUTHORIZATION, assertThrows(SignatureException.class, () -> verifier.verify(
                    WebhookRequest.of(Map.of(), raw))).reason());
        }
    }
}
