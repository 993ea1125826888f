package dev.tollgate.webhooks.signature;

import static dev.tollgate.webhooks.signature.TestSigner.standardV1;
import static dev.tollgate.webhooks.signature.TestSigner.utf8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Secret;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.WebhookConfigurationException;
import dev.tollgate.webhooks.WebhookRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class StandardWebhooksVerifierTest {

    /** Key bytes 1..32, base64: independent of any published vector. */
    private static final String SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private static final long NOW = 1_763_900_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final byte[] BODY = utf8("{\"type\":\"invoice.paid\",\"data\":{\"id\":\"in_1\"}}");

    private final StandardWebhooksVerifier verifier = StandardWebhooksVerifier.builder()
            .secret(Secret.of(SECRET)).clock(CLOCK).build();

    private static WebhookRequest request(@Nullable String id, @Nullable String timestamp, @Nullable String signature,
            byte[] body) {
        Map<String, String> headers = new HashMap<>();
        if (id != null) {
            headers.put("webhook-id", id);
        }
        if (timestamp != null) {
            headers.put("Webhook-Timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("WEBHOOK-SIGNATURE", signature);
        }
        return WebhookRequest.of(headers, body);
    }

    private static WebhookRequest signed(String secret, String id, long timestamp, byte[] body) {
        return request(id, Long.toString(timestamp), "v1," + standardV1(secret, id, timestamp, body), body);
    }

    private static Reason refusal(StandardWebhooksVerifier verifier, WebhookRequest request) {
        return assertThrows(SignatureException.class, () -> verifier.verify(request)).reason();
    }

    @Test
    void publishedVectorsFromTheSpecificationRepository() throws IOException {
        JsonNode vectors = new ObjectMapper().readTree(
                Files.readAllBytes(SharedFixtures.providerSample("standard_webhooks_vectors.json")));
        int checked = 0;
        for (JsonNode vector : vectors) {
            String name = vector.get("name").asText();
            String operation = vector.get("operation").asText();
            String secret = vector.get("secret").asText();
            Clock clock = Clock.fixed(Instant.ofEpochSecond(vector.get("now").asLong()), ZoneOffset.UTC);
            if (operation.equals("construct")) {
                assertThrows(WebhookConfigurationException.class,
                        () -> StandardWebhooksVerifier.builder().secret(secret).build(), name);
                checked++;
                continue;
            }
            StandardWebhooksVerifier fromVector = StandardWebhooksVerifier.builder().secret(secret).clock(clock).build();
            byte[] payload = utf8(vector.get("payload").asText());
            if (operation.equals("sign")) {
                // We do not sign; a delivery carrying a timestamp a signer must refuse is refused as malformed.
                WebhookRequest odd = request(vector.get("msg_id").asText(), vector.get("timestamp").asText(),
                        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", payload);
                assertEquals(Reason.MALFORMED_HEADER, refusal(fromVector, odd), name);
                checked++;
                continue;
            }
            WebhookRequest delivery = request(text(vector, "msg_id"), text(vector, "timestamp"),
                    text(vector, "signature"), payload);
            if (vector.get("valid").asBoolean()) {
                assertDoesNotThrow(() -> fromVector.verify(delivery), name);
            } else {
                assertThrows(SignatureException.class, () -> fromVector.verify(delivery), name);
            }
            checked++;
        }
        assertEquals(vectors.size(), checked);
        assertTrue(checked >= 20, "only " + checked + " vectors");
    }

    private static @Nullable String text(JsonNode vector, String field) {
        JsonNode node = vector.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    @Test
    void ownVectorsComputedOutsideJavaAreAccepted() {
        // Computed with Python's hmac and base64 modules from key bytes 1..32.
        assertDoesNotThrow(() -> verifier.verify(request("msg_tollgate_0001", "1763900000",
                "v1,FfRSwJRETBLTpFluG7o4JYSVGayFtfKVzFYG2Yhm4Dw=", BODY)));
        byte[] crlf = {'l', 'i', 'n', 'e', '1', '\r', '\n', 'l', 'i', 'n', 'e', '2', '\n', (byte) 0xc3, (byte) 0xa9};
        assertDoesNotThrow(() -> verifier.verify(request("msg_tollgate_0002", "1763900123",
                "v1,LCcGZbla9UIh37YIhSwvyjllGrZwRB4MTJ8hRpBHFbM=", crlf)));
        byte[] lf = Arrays.copyOf(crlf, crlf.length);
        lf[5] = ' ';
        assertEquals(Reason.SIGNATURE_MISMATCH, refusal(verifier, request("msg_tollgate_0002", "1763900123",
                "v1,LCcGZbla9UIh37YIhSwvyjllGrZwRB4MTJ8hRpBHFbM=", lf)));
    }

    @Test
    void ownVectorsComputedInTheTestAgreeForRandomInputs() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[24 + random.nextInt(40)];
            random.nextBytes(key);
            String secret = (random.nextBoolean() ? "whsec_" : "") + Base64.getEncoder().encodeToString(key);
            StandardWebhooksVerifier v = StandardWebhooksVerifier.builder().secret(secret).clock(CLOCK).build();
            byte[] body = new byte[random.nextInt(3000)];
            random.nextBytes(body);
            String id = "msg_" + Long.toHexString(random.nextLong());
            long timestamp = NOW - 300 + random.nextInt(601);
            assertDoesNotThrow(() -> v.verify(signed(secret, id, timestamp, body)), "case " + i);
            if (body.length > 0) {
                byte[] tampered = body.clone();
                tampered[random.nextInt(body.length)] ^= 1;
                WebhookRequest forged = request(id, Long.toString(timestamp),
                        "v1," + standardV1(secret, id, timestamp, body), tampered);
                assertEquals(Reason.SIGNATURE_MISMATCH, refusal(v, forged), "case " + i);
            }
            // The id and the timestamp are signed too.
            WebhookRequest otherId = request(id + "x", Long.toString(timestamp),
                    "v1," + standardV1(secret, id, timestamp, body), body);
            assertEquals(Reason.SIGNATURE_MISMATCH, refusal(v, otherId), "case " + i);
        }
    }

    @Test
    void missingHeadersAreNamed() {
        String signature = "v1," + standardV1(SECRET, "msg_1", NOW, BODY);
        SignatureException all = assertThrows(SignatureException.class,
                () -> verifier.verify(request(null, null, null, BODY)));
        assertEquals(Reason.MISSING_HEADER, all.reason());
        assertTrue(all.getMessage().contains("webhook-id, webhook-timestamp, webhook-signature"), all.getMessage());
        assertEquals(Reason.MISSING_HEADER, refusal(verifier, request(null, "" + NOW, signature, BODY)));
        assertEquals(Reason.MISSING_HEADER, refusal(verifier, request("msg_1", null, signature, BODY)));
        assertEquals(Reason.MISSING_HEADER, refusal(verifier, request("msg_1", "" + NOW, null, BODY)));
        assertEquals(Reason.MISSING_HEADER, refusal(verifier, request(" ", "" + NOW, signature, BODY)));
    }

    @Test
    void garbledHeadersAreRefusedWithTypedReasons() {
        String good = standardV1(SECRET, "msg_1", NOW, BODY);
        Object[][] cases = {
            {"" + NOW, "v1," + good, null},
            {"" + NOW, "v1a,abc v2," + good + " v1," + good, null},
            {"" + NOW, "  v1," + good + "  ", null},
            {"0" + NOW, "v1," + good, null},
            {"hello", "v1," + good, Reason.MALFORMED_HEADER},
            {NOW + ".0", "v1," + good, Reason.MALFORMED_HEADER},
            {"-" + NOW, "v1," + good, Reason.MALFORMED_HEADER},
            {"+" + NOW, "v1," + good, Reason.MALFORMED_HEADER},
            {"0", "v1," + good, Reason.MALFORMED_HEADER},
            {"9".repeat(19), "v1," + good, Reason.MALFORMED_HEADER},
            {"\u0661\u0667\u0666\u0663", "v1," + good, Reason.MALFORMED_HEADER},
            {"" + NOW, good, Reason.NO_SIGNATURE},
            {"" + NOW, "v2," + good, Reason.NO_SIGNATURE},
            {"" + NOW, "V1," + good, Reason.NO_SIGNATURE},
            {"" + NOW, "v1=" + good, Reason.NO_SIGNATURE},
            {"" + NOW, "v1,", Reason.SIGNATURE_MISMATCH},
            {"" + NOW, "v1," + good.substring(0, 43), Reason.SIGNATURE_MISMATCH},
            {"" + NOW, "v1," + good.replace('=', 'A'), Reason.SIGNATURE_MISMATCH},
            {"" + NOW, "v1," + good + "\u00e9", Reason.SIGNATURE_MISMATCH},
            {"" + NOW, "v1,a,b", Reason.SIGNATURE_MISMATCH},
            {"" + (NOW - 301), "v1," + good, Reason.TIMESTAMP_OUTSIDE_TOLERANCE},
            {"" + (NOW + 301), "v1," + good, Reason.TIMESTAMP_OUTSIDE_TOLERANCE},
        };
        for (Object[] c : cases) {
            WebhookRequest delivery = request("msg_1", (String) c[0], (String) c[1], BODY);
            if (c[2] == null) {
                assertDoesNotThrow(() -> verifier.verify(delivery), c[0] + " / " + c[1]);
            } else {
                assertEquals(c[2], refusal(verifier, delivery), c[0] + " / " + c[1]);
            }
        }
    }

    @Test
    void nonCanonicalBase64OfTheRightBytesIsRefusedLikeTheReferenceLibraries() {
        // g0hM…1OE= is the published signature; 'F' differs from 'E' only in the two unused bits.
        StandardWebhooksVerifier published = StandardWebhooksVerifier.builder()
                .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .clock(Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC)).build();
        byte[] payload = utf8("{\"test\": 2432232314}");
        assertDoesNotThrow(() -> published.verify(request("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", payload)));
        assertEquals(Reason.SIGNATURE_MISMATCH, refusal(published, request("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=", payload)));
    }

    @Test
    void rotationAcceptsEverySecretAndSeveralSignatures() {
        String other = "whsec_" + Base64.getEncoder().encodeToString(utf8("another-key-of-24-bytes!"));
        StandardWebhooksVerifier rotating = StandardWebhooksVerifier.builder().secret(SECRET).secret(other)
                .clock(CLOCK).build();
        assertDoesNotThrow(() -> rotating.verify(signed(SECRET, "msg_a", NOW, BODY)));
        assertDoesNotThrow(() -> rotating.verify(signed(other, "msg_a", NOW, BODY)));
        String unrelated = "whsec_" + Base64.getEncoder().encodeToString(utf8("unrelated-key-24-bytes!!"));
        assertEquals(Reason.SIGNATURE_MISMATCH, refusal(rotating, signed(unrelated, "msg_a", NOW, BODY)));
        WebhookRequest twoSignatures = request("msg_a", "" + NOW, "v1," + standardV1(unrelated, "msg_a", NOW, BODY)
                + " v1," + standardV1(other, "msg_a", NOW, BODY), BODY);
        assertDoesNotThrow(() -> rotating.verify(twoSignatures));
    }

    @Test
    void unpaddedAndUnprefixedSecretsGiveTheSameKey() {
        String bare = SECRET.substring(6);
        String unpadded = bare.replace("=", "");
        for (String secret : List.of(bare, unpadded, "whsec_" + unpadded)) {
            StandardWebhooksVerifier v = StandardWebhooksVerifier.builder().secret(secret).clock(CLOCK).build();
            assertDoesNotThrow(() -> v.verify(signed(SECRET, "msg_p", NOW, BODY)), secret);
        }
    }

    @Test
    void bodyLimitProviderNameAndSharedHeaderValues() {
        StandardWebhooksVerifier small = StandardWebhooksVerifier.builder().secret(SECRET).clock(CLOCK)
                .maxBodyBytes(BODY.length - 1).provider("acme-billing").build();
        assertEquals("acme-billing", small.provider());
        assertEquals("standard-webhooks", verifier.provider());
        assertEquals(Reason.BODY_TOO_LARGE, refusal(small, request(null, null, null, BODY)));
        assertDoesNotThrow(() -> verifier.verify(signed(SECRET, "msg_1", NOW, new byte[0])));
        WebhookRequest conflictingIds = WebhookRequest.ofMultiValued(Map.of(
                "webhook-id", List.of("msg_1", "msg_2"), "webhook-timestamp", List.of("" + NOW),
                "webhook-signature", List.of("v1," + standardV1(SECRET, "msg_1", NOW, BODY))), BODY);
        assertEquals(Reason.MALFORMED_HEADER, refusal(verifier, conflictingIds));
        WebhookRequest signatureLines = WebhookRequest.ofMultiValued(Map.of(
                "webhook-id", List.of("msg_1"), "webhook-timestamp", List.of("" + NOW),
                "webhook-signature", List.of("v1a,xyz", "v1," + standardV1(SECRET, "msg_1", NOW, BODY))), BODY);
        assertDoesNotThrow(() -> verifier.verify(signatureLines));
    }

    @Test
    void refusalsNeverCarryTheSecretOrASignature() {
        String good = standardV1(SECRET, "msg_1", NOW, BODY);
        WebhookRequest[] bad = {
            request("msg_1", "" + NOW, "v1," + good, utf8("tampered")),
            request("msg_1", "" + (NOW - 9999), "v1," + good, BODY),
            request("msg_1", "junk", "v1," + good, BODY),
            request("msg_1", "" + NOW, "v2," + good, BODY),
        };
        for (WebhookRequest delivery : bad) {
            String message = assertThrows(SignatureException.class, () -> verifier.verify(delivery)).getMessage();
            assertFalse(message.contains(SECRET.substring(6, 20)), message);
            assertFalse(message.contains(good.substring(0, 12)), message);
            assertFalse(message.contains("tampered"), message);
        }
    }

    @Test
    void noExceptionOtherThanSignatureExceptionEscapesOnRandomHeaders() {
        Random random = new Random(11);
        String alphabet = "v1a, =+/0123456789AZaz.\t\u00e9\u0000";
        for (int i = 0; i < 3_000; i++) {
            String[] values = new String[3];
            for (int k = 0; k < 3; k++) {
                StringBuilder value = new StringBuilder();
                int length = random.nextInt(i % 100 == 0 ? 3_000 : 50);
                for (int j = 0; j < length; j++) {
                    value.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                values[k] = random.nextInt(8) == 0 ? null : value.toString();
            }
            try {
                verifier.verify(request(values[0], values[1], values[2], BODY));
            } catch (SignatureException expected) {
                // the only way to refuse
            }
        }
    }
}
