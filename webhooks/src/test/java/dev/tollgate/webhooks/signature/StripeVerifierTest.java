package dev.tollgate.webhooks.signature;

import static dev.tollgate.webhooks.signature.TestSigner.stripeHeader;
import static dev.tollgate.webhooks.signature.TestSigner.stripeV1;
import static dev.tollgate.webhooks.signature.TestSigner.utf8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import dev.tollgate.webhooks.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class StripeVerifierTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final long NOW = 1_763_900_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final byte[] BODY = utf8("{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"invoice.paid\"}");

    private final StripeVerifier verifier = StripeVerifier.builder().secret(Secret.of(SECRET)).clock(CLOCK).build();

    private static SignatureException refusal(StripeVerifier verifier, byte[] body, @Nullable String header) {
        return assertThrows(SignatureException.class, () -> verifier.verify(body, header));
    }

    @Test
    void acceptsAGenuineDeliveryThroughBothEntryPoints() {
        String header = stripeHeader(SECRET, NOW, BODY);
        assertDoesNotThrow(() -> verifier.verify(BODY, header));
        assertDoesNotThrow(() -> verifier.verify(WebhookRequest.of(Map.of("stripe-signature", header), BODY)));
        assertEquals("stripe", verifier.provider());
    }

    @Test
    void knownAnswerComputedOutsideJavaIsAccepted() {
        // Computed with Python's hmac module: HMAC-SHA256(key=UTF-8 of the secret, "1763900000." + body), hex.
        byte[] body = utf8("{\r\n  \"id\": \"evt_test_1\",\r\n  \"object\": \"event\"\r\n}\r\n");
        StripeVerifier known = StripeVerifier.builder().secret("whsec_tollgate_known_answer_0001").clock(CLOCK).build();
        assertDoesNotThrow(() -> known.verify(body,
                "t=1763900000,v1=52404abf36d87a179ac28958d34535dc1b4d42a06c7d75bc3459f7177f41761f"));
    }

    @Test
    void rawBytesWithCrlfAreVerifiedAsReceivedAndALineJoinedBodyFails() {
        byte[] crlf = utf8("{\r\n  \"id\": \"evt_crlf\",\r\n  \"note\": \"caf\u00e9\"\r\n}\r\n");
        String header = stripeHeader(SECRET, NOW, crlf);
        assertDoesNotThrow(() -> verifier.verify(crlf, header));
        // What a BufferedReader.lines().collect(joining()) endpoint would hand over:
        byte[] joined = String.join("", new String(crlf, StandardCharsets.UTF_8).split("\r\n")).getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.SIGNATURE_MISMATCH, refusal(verifier, joined, header).reason());
        byte[] lf = new String(crlf, StandardCharsets.UTF_8).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.SIGNATURE_MISMATCH, refusal(verifier, lf, header).reason());
    }

    @Test
    void rotationAcceptsTheOldAndTheNewSecretAndNothingElse() {
        String old = "whsec_oldOLDoldOLDoldOLD0123456789";
        String fresh = "whsec_newNEWnewNEWnewNEW0123456789";
        StripeVerifier rotating = StripeVerifier.builder().secret(old).secret(Secret.of(fresh)).clock(CLOCK).build();
        assertEquals(2, rotating.secretCount());
        assertDoesNotThrow(() -> rotating.verify(BODY, stripeHeader(old, NOW, BODY)));
        assertDoesNotThrow(() -> rotating.verify(BODY, stripeHeader(fresh, NOW, BODY)));
        // Stripe signs with both while an endpoint's secret is being rolled: either v1 may be the one that matches.
        assertDoesNotThrow(() -> rotating.verify(BODY,
                "t=" + NOW + ",v1=" + stripeV1("whsec_unrelated_unrelated", NOW, BODY) + ",v1=" + stripeV1(fresh, NOW, BODY)));
        assertEquals(Reason.SIGNATURE_MISMATCH, refusal(rotating, BODY, stripeHeader(SECRET, NOW, BODY)).reason());
    }

    @Test
    void missingHeadersAreRefusedAsMissing() {
        assertEquals(Reason.MISSING_HEADER, refusal(verifier, BODY, null).reason());
        assertEquals(Reason.MISSING_HEADER, refusal(verifier, BODY, "").reason());
        SignatureException viaRequest = assertThrows(SignatureException.class,
                () -> verifier.verify(WebhookRequest.of(Map.of("Content-Type", "application/json"), BODY)));
        assertEquals(Reason.MISSING_HEADER, viaRequest.reason());
        assertEquals(400, viaRequest.reason().httpStatus());
    }

    @Test
    void garbledHeadersAreRefusedWithTypedReasons() {
        String v1 = stripeV1(SECRET, NOW, BODY);
        Object[][] cases = {
            {"garbage", Reason.MALFORMED_HEADER},
            {"v1=" + v1, Reason.MALFORMED_HEADER},                 // no t
            {"t=abc,v1=" + v1, Reason.MALFORMED_HEADER},
            {"t,v1=" + v1, Reason.MALFORMED_HEADER},
            {"t=" + NOW + ",v1", Reason.MALFORMED_HEADER},
            {"t=,v1=" + v1, Reason.MALFORMED_HEADER},
            {"t=0,v1=" + v1, Reason.MALFORMED_HEADER},
            {"t=-" + NOW + ",v1=" + v1, Reason.MALFORMED_HEADER},
            {"t=99999999999999999999,v1=" + v1, Reason.MALFORMED_HEADER},
            {"t=" + NOW, Reason.NO_SIGNATURE},
            {"t=" + NOW + ",v0=" + v1, Reason.NO_SIGNATURE},
            {"t=" + NOW + ",V1=" + v1, Reason.NO_SIGNATURE},
            {"t=" + NOW + ", v1=" + v1, Reason.NO_SIGNATURE},       // keys are not trimmed, as in stripe-java
            {"t=" + NOW + ",v1=", Reason.SIGNATURE_MISMATCH},
            {"t=" + NOW + ",v1=" + v1.toUpperCase(java.util.Locale.ROOT), Reason.SIGNATURE_MISMATCH},
            {"t=" + NOW + ",v1=" + v1 + " ", Reason.SIGNATURE_MISMATCH},
            {"t=" + NOW + ",v1=" + v1.substring(1), Reason.SIGNATURE_MISMATCH},
            {"t=" + NOW + ";v1=" + v1, Reason.MALFORMED_HEADER},
            {",,,,", Reason.MALFORMED_HEADER},
            {"t=" + NOW + ",v1=" + v1 + ",t=garbage", null},          // first t wins, as in stripe-java
            {"t=" + NOW + ",v2=xyz,v1=" + v1 + ",v0=abc,foo", null},  // unknown schemes ignored
            {"t=+" + NOW + ",v1=" + v1, null},                        // read as Long.parseLong reads it
        };
        for (Object[] c : cases) {
            String header = (String) c[0];
            if (c[1] == null) {
                assertDoesNotThrow(() -> verifier.verify(BODY, header), header);
            } else {
                SignatureException e = refusal(verifier, BODY, header);
                assertEquals(c[1], e.reason(), header + ": " + e.getMessage());
            }
        }
    }

    @Test
    void atMostEightV1EntriesAreCompared() {
        String genuine = stripeV1(SECRET, NOW, BODY);
        String eight = "t=" + NOW + ",v1=00".repeat(StripeVerifier.MAX_V1_SIGNATURES - 1) + ",v1=" + genuine;
        assertDoesNotThrow(() -> verifier.verify(BODY, eight));
        String nine = "t=" + NOW + ",v1=00".repeat(StripeVerifier.MAX_V1_SIGNATURES) + ",v1=" + genuine;
        SignatureException tooMany = refusal(verifier, BODY, nine);
        assertEquals(Reason.TOO_MANY_SIGNATURES, tooMany.reason());
        assertEquals(400, tooMany.reason().httpStatus());
        assertEquals("too_many_signatures", tooMany.reason().code());
        assertTrue(tooMany.getMessage().contains("more than 8 v1"), tooMany.getMessage());
        // refused even when the genuine signature comes first: the count is checked, not the match
        String genuineFirst = "t=" + NOW + ",v1=" + genuine + ",v1=00".repeat(StripeVerifier.MAX_V1_SIGNATURES);
        assertEquals(Reason.TOO_MANY_SIGNATURES, refusal(verifier, BODY, genuineFirst).reason());

        // through the pipeline: a typed 400 with its reason code, the handler never runs
        java.util.concurrent.atomic.AtomicInteger effects = new java.util.concurrent.atomic.AtomicInteger();
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(verifier)
                .store(InMemoryIdempotencyStore.builder().clock(CLOCK).build())
                .on("invoice.paid", event -> effects.incrementAndGet())
                .build();
        WebhookResult result = pipeline.handle("stripe", WebhookRequest.of(Map.of("Stripe-Signature", nine), BODY));
        assertEquals(400, result.httpStatus());
        assertEquals("too_many_signatures", result.reason());
        assertEquals(0, effects.get());
        assertEquals(200, pipeline.handle("stripe",
                WebhookRequest.of(Map.of("Stripe-Signature", eight), BODY)).httpStatus());
        assertEquals(1, effects.get());
    }

    @Test
    void hugeHeadersAndBodiesAreRefusedOrAcceptedWithoutSurprises() {
        String manyItems = "t=" + NOW + ",v1=00,".repeat(50_000) + "v1=" + stripeV1(SECRET, NOW, BODY);
        assertEquals(Reason.TOO_MANY_SIGNATURES, refusal(verifier, BODY, manyItems).reason());
        String manyOthers = "t=" + NOW + ",v0=00".repeat(50_000) + ",v1=" + stripeV1(SECRET, NOW, BODY);
        assertDoesNotThrow(() -> verifier.verify(BODY, manyOthers)); // only v1 entries count
        assertEquals(Reason.MALFORMED_HEADER, refusal(verifier, BODY, "x".repeat(1 << 20)).reason());
        assertEquals(Reason.MALFORMED_HEADER, refusal(verifier, BODY, "t=" + "9".repeat(100_000) + ",v1=00").reason());

        byte[] exactlyOneMiB = new byte[StripeVerifier.DEFAULT_MAX_BODY_BYTES];
        Arrays.fill(exactlyOneMiB, (byte) 'a');
        assertDoesNotThrow(() -> verifier.verify(exactlyOneMiB, stripeHeader(SECRET, NOW, exactlyOneMiB)));
        byte[] tooLarge = Arrays.copyOf(exactlyOneMiB, exactlyOneMiB.length + 1);
        SignatureException large = refusal(verifier, tooLarge, stripeHeader(SECRET, NOW, tooLarge));
        assertEquals(Reason.BODY_TOO_LARGE, large.reason());
        assertEquals(413, large.reason().httpStatus());
    }

    @Test
    void theBodyLimitIsCheckedBeforeAnythingElse() {
        StripeVerifier small = StripeVerifier.builder().secret(SECRET).clock(CLOCK).maxBodyBytes(10).build();
        assertEquals(Reason.BODY_TOO_LARGE, refusal(small, new byte[11], null).reason());
        assertEquals(Reason.BODY_TOO_LARGE, refusal(small, new byte[11], "garbage").reason());
        assertEquals(Reason.BODY_TOO_LARGE, assertThrows(SignatureException.class,
                () -> small.verify(WebhookRequest.of(Map.of(), new byte[11]))).reason());
        byte[] ten = new byte[10];
        assertDoesNotThrow(() -> small.verify(ten, stripeHeader(SECRET, NOW, ten)));
    }

    @Test
    void emptyAndNonJsonBodiesAreJustBytes() {
        for (byte[] body : new byte[][] {new byte[0], utf8("not json at all"), {(byte) 0xff, 0, (byte) 0xfe}}) {
            assertDoesNotThrow(() -> verifier.verify(body, stripeHeader(SECRET, NOW, body)));
            assertEquals(Reason.SIGNATURE_MISMATCH, refusal(verifier, body, stripeHeader(SECRET + "x", NOW, body)).reason());
        }
    }

    @Test
    void timestampsAreCheckedInBothDirectionsAtTheToleranceBoundary() {
        assertDoesNotThrow(() -> verifier.verify(BODY, stripeHeader(SECRET, NOW - 300, BODY)));
        assertDoesNotThrow(() -> verifier.verify(BODY, stripeHeader(SECRET, NOW + 300, BODY)));

        SignatureException stale = refusal(verifier, BODY, stripeHeader(SECRET, NOW - 301, BODY));
        assertEquals(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, stale.reason());
        assertEquals("Stripe-Signature timestamp is 301 s old (tolerance 300 s): check the server clock or the "
                + "replayed request", stale.getMessage());
        SignatureException future = refusal(verifier, BODY, stripeHeader(SECRET, NOW + 301, BODY));
        assertEquals(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, future.reason());
        assertTrue(future.getMessage().contains("301 s in the future (tolerance 300 s)"), future.getMessage());

        SignatureException hourOld = refusal(verifier, BODY, stripeHeader(SECRET, NOW - 3_612, BODY));
        assertEquals("Stripe-Signature timestamp is 3,612 s old (tolerance 300 s): check the server clock or the "
                + "replayed request", hourOld.getMessage());
        assertEquals(Reason.TIMESTAMP_OUTSIDE_TOLERANCE,
                refusal(verifier, BODY, stripeHeader(SECRET, Long.MAX_VALUE, BODY)).reason());
        assertEquals(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, refusal(verifier, BODY, stripeHeader(SECRET, 1, BODY)).reason());
    }

    @Test
    void aWiderToleranceAndTheClockAreHonoured() {
        StripeVerifier wide = StripeVerifier.builder().secret(SECRET).tolerance(Duration.ofMinutes(10)).clock(CLOCK).build();
        assertEquals(Duration.ofMinutes(10), wide.tolerance());
        assertDoesNotThrow(() -> wide.verify(BODY, stripeHeader(SECRET, NOW - 600, BODY)));
        assertEquals(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, refusal(wide, BODY, stripeHeader(SECRET, NOW - 601, BODY)).reason());
        StripeVerifier later = StripeVerifier.builder().secret(SECRET)
                .clock(Clock.offset(CLOCK, Duration.ofSeconds(301))).build();
        assertEquals(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, refusal(later, BODY, stripeHeader(SECRET, NOW, BODY)).reason());
    }

    @Test
    void severalHeaderLinesAreJoinedAsHttpAllows() {
        String v1 = stripeV1(SECRET, NOW, BODY);
        WebhookRequest split = WebhookRequest.ofMultiValued(
                Map.of("Stripe-Signature", List.of("t=" + NOW, "v1=" + v1)), BODY);
        assertDoesNotThrow(() -> verifier.verify(split));
    }

    @Test
    void refusalsNeverCarryTheSecretOrAFullSignature() {
        String v1 = stripeV1(SECRET, NOW, BODY);
        List<SignatureException> refusals = new ArrayList<>();
        for (String header : new String[] {null, "", "garbage", "t=" + NOW, "t=abc,v1=" + v1, "t=" + NOW + ",v1=" + v1,
            "t=" + (NOW - 4000) + ",v1=" + v1, "t=" + (NOW + 4000) + ",v1=" + v1, "t=" + NOW + ",v1",
            stripeHeader(SECRET + "x", NOW, BODY)}) {
            refusals.add(refusal(verifier, utf8("tampered"), header));
        }
        for (SignatureException e : refusals) {
            String message = e.getMessage();
            assertFalse(message.contains(SECRET), message);
            assertFalse(message.contains(SECRET.substring(6, 20)), message);
            assertFalse(message.contains(v1.substring(0, 16)), message);
            assertFalse(message.contains("tampered"), message);
        }
    }

    @Test
    void noExceptionOtherThanSignatureExceptionEscapesOnRandomHeaders() {
        Random random = new Random(7);
        String alphabet = "tv01=,; \t\r\n-+.9aZé日\u0000\uffff";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder header = new StringBuilder();
            int length = random.nextInt(i % 100 == 0 ? 5_000 : 60);
            for (int j = 0; j < length; j++) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            try {
                verifier.verify(body, header.toString());
            } catch (SignatureException expected) {
                // the only way to refuse
            }
        }
    }

    @Test
    void oneVerifierIsSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int accepted = 0;
                    for (int i = 0; i < 500; i++) {
                        byte[] body = utf8("{\"thread\":" + thread + ",\"i\":" + i + "}");
                        boolean genuine = i % 2 == 0;
                        String header = stripeHeader(genuine ? SECRET : SECRET + "x", NOW, body);
                        try {
                            verifier.verify(body, header);
                            assertTrue(genuine, "accepted a forged delivery");
                            accepted++;
                        } catch (SignatureException e) {
                            assertFalse(genuine, "refused a genuine delivery: " + e.getMessage());
                        }
                    }
                    return accepted;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(250, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
