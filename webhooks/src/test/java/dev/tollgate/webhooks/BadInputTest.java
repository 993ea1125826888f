package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input of every kind ends in a typed refusal, never an exception and never a handler call. */
@TollgatePostgres
class BadInputTest {

    private static final MutableClock CLOCK = MutableClock.at("2026-01-01T00:00:00Z");
    private static final byte[] VALID = TestDeliveries.stripeEvent("evt_ok", "invoice.paid");

    private final AtomicInteger effects = new AtomicInteger();
    private final WebhookPipeline pipeline;
    private final DataSource dataSource;

    BadInputTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.pipeline = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, CLOCK, 64 * 1024))
                .verifier(new BrokenVerifier())
                .store(PostgresIdempotencyStore.create(dataSource, CLOCK))
                .maxBodyBytes(128 * 1024)
                .on("*", event -> effects.incrementAndGet())
                .build();
    }

    private static WebhookRequest withSignature(String header, byte[] body) {
        return WebhookRequest.of(Map.of(HmacTestVerifier.HEADER, header), body);
    }

    private static String sign(byte[] body) {
        return HmacTestVerifier.header(TestDeliveries.SECRET, CLOCK.instant(), body);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badDeliveries() {
        byte[] huge = new byte[2 * 1024 * 1024];
        byte[] overVerifierLimit = utf8("{\"id\":\"evt_big\",\"type\":\"t\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
        return Stream.of(
                Arguments.of("missing header", WebhookRequest.of(Map.of(), VALID), 400, "missing_header"),
                Arguments.of("garbled header", withSignature("t=abc,v1=zz", VALID), 400, "malformed_header"),
                Arguments.of("header without parts", withSignature("", VALID), 400, "malformed_header"),
                Arguments.of("huge header", withSignature("t=" + CLOCK.instant().getEpochSecond() + ",v1=" + "a".repeat(200_001), VALID), 400,
                        "malformed_header"),
                Arguments.of("wrong secret", withSignature(HmacTestVerifier.header("whsec_wrong_secret_000000000000",
                        CLOCK.instant(), VALID), VALID), 400, "signature_mismatch"),
                Arguments.of("stale timestamp", withSignature(HmacTestVerifier.header(TestDeliveries.SECRET,
                        CLOCK.instant().minus(Duration.ofHours(1)), VALID), VALID), 400, "timestamp_outside_tolerance"),
                Arguments.of("future timestamp", withSignature(HmacTestVerifier.header(TestDeliveries.SECRET,
                        CLOCK.instant().plus(Duration.ofHours(1)), VALID), VALID), 400, "timestamp_outside_tolerance"),
                Arguments.of("body changed after signing", withSignature(sign(VALID),
                        utf8(new String(VALID, StandardCharsets.UTF_8).replace("\n", ""))), 400, "signature_mismatch"),
                Arguments.of("empty body", withSignature(sign(new byte[0]), new byte[0]), 400, "malformed_json"),
                Arguments.of("non-JSON body", withSignature(sign(utf8("id=evt_1&type=x")), utf8("id=evt_1&type=x")),
                        400, "malformed_json"),
                Arguments.of("truncated JSON", withSignature(sign(utf8("{\"id\":\"evt_1\"")), utf8("{\"id\":\"evt_1\"")),
                        400, "malformed_json"),
                Arguments.of("trailing garbage", withSignature(sign(utf8("{\"id\":\"a\",\"type\":\"t\"} x")),
                        utf8("{\"id\":\"a\",\"type\":\"t\"} x")), 400, "malformed_json"),
                Arguments.of("JSON array", withSignature(sign(utf8("[1,2]")), utf8("[1,2]")), 400, "malformed_json"),
                Arguments.of("JSON null", withSignature(sign(utf8("null")), utf8("null")), 400, "malformed_json"),
                Arguments.of("deeply nested", withSignature(sign(utf8("[".repeat(5000))), utf8("[".repeat(5000))), 400,
                        "malformed_json"),
                Arguments.of("invalid UTF-8", withSignature(sign(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}),
                        new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}), 400, "malformed_json"),
                Arguments.of("no id", withSignature(sign(utf8("{\"type\":\"t\"}")), utf8("{\"type\":\"t\"}")), 400,
                        "missing_event_id"),
                Arguments.of("numeric id", withSignature(sign(utf8("{\"id\":42,\"type\":\"t\"}")),
                        utf8("{\"id\":42,\"type\":\"t\"}")), 400, "invalid_event_id"),
                Arguments.of("empty id", withSignature(sign(utf8("{\"id\":\"\",\"type\":\"t\"}")),
                        utf8("{\"id\":\"\",\"type\":\"t\"}")), 400, "invalid_event_id"),
                Arguments.of("id of 256 characters", withSignature(sign(utf8("{\"id\":\"" + "i".repeat(256) + "\",\"type\":\"t\"}")),
                        utf8("{\"id\":\"" + "i".repeat(256) + "\",\"type\":\"t\"}")), 400, "invalid_event_id"),
                Arguments.of("no type", withSignature(sign(utf8("{\"id\":\"evt_1\"}")), utf8("{\"id\":\"evt_1\"}")), 400,
                        "missing_event_type"),
                Arguments.of("object type", withSignature(sign(utf8("{\"id\":\"evt_1\",\"type\":{}}")),
                        utf8("{\"id\":\"evt_1\",\"type\":{}}")), 400, "missing_event_type"),
                Arguments.of("body over the verifier's limit", withSignature(sign(overVerifierLimit), overVerifierLimit),
                        413, "body_too_large"),
                Arguments.of("body over the pipeline's limit", withSignature(sign(huge), huge), 413, "body_too_large"));
    }

    @ParameterizedTest(name = "{0} → {2} {3}")
    @MethodSource("badDeliveries")
    @DisplayName("a bad delivery is refused with its typed reason")
    void refused(String what, WebhookRequest request, int status, String reason) {
        WebhookResult result = pipeline.handle("stripe", request);
        assertEquals(status, result.httpStatus(), what + ": " + result);
        assertEquals("rejected", result.status());
        assertEquals(reason, result.reason());
        assertEquals(0, effects.get());
        assertFalse(result.toJson().contains(TestDeliveries.SECRET));
    }

    @Test
    @DisplayName("an unknown provider is 404 unknown_provider; a verifier that throws a RuntimeException is 500 internal_error")
    void unknownProviderAndBrokenVerifier() {
        assertEquals(WebhookResult.rejected(404, "unknown_provider"),
                pipeline.handle("paypal", TestDeliveries.signed(CLOCK, VALID)));
        assertEquals(WebhookResult.failed("internal_error", null),
                pipeline.handle("broken", TestDeliveries.signed(CLOCK, VALID)));
        assertEquals(0, effects.get());
    }

    @Test
    @DisplayName("3,000 random mutations of a signed delivery: every answer is a result with a known status, no exception")
    void fuzzedDeliveriesNeverThrow() {
        Random random = new Random(20261123);
        Set<Integer> allowed = Set.of(200, 400, 413);
        String header = sign(VALID);
        int processed = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] body = VALID.clone();
            String h = header;
            switch (random.nextInt(5)) {
                case 0 -> body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                case 1 -> body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
                case 2 -> {
                    char[] chars = h.toCharArray();
                    chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
                    h = new String(chars);
                }
                case 3 -> {
                    body[random.nextInt(body.length)] = (byte) random.nextInt(256);
                    h = sign(body); // signed garbage: the parser must cope
                }
                default -> h = h.substring(0, random.nextInt(h.length()));
            }
            Map<String, String> headers = new HashMap<>();
            headers.put(HmacTestVerifier.HEADER, h);
            WebhookResult result = pipeline.handle("stripe", WebhookRequest.of(headers, body));
            assertTrue(allowed.contains(result.httpStatus()), "mutation " + i + ": " + result);
            if (result.status().equals("processed")) {
                processed++;
            }
        }
        // Signed mutations may be valid events with another id; each processed one is one row and one effect.
        assertEquals(processed, effects.get());
        assertEquals(processed, TestDeliveries.count(dataSource, "SELECT count(*) FROM webhooks.events"));
    }

    /** A verifier with a bug: it throws something else than SignatureException. */
    private static final class BrokenVerifier implements WebhookVerifier {
        @Override
        public String provider() {
            return "broken";
        }

        @Override
        public void verify(WebhookRequest request) {
            throw new NullPointerException("bug in verifier");
        }
    }
}
