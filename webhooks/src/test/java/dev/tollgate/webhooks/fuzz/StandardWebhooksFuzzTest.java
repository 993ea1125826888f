package dev.tollgate.webhooks.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.WebhookRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}, each absent, single or repeated) through {@link StandardWebhooksVerifier#verify}:
 * only a {@link SignatureException} with a reason ever escapes, and a genuine signature among arbitrary
 * other entries is accepted.
 */
class StandardWebhooksFuzzTest {

    private static final StandardWebhooksVerifier VERIFIER = StandardWebhooksVerifier.builder()
            .secret(FuzzSigning.STANDARD_SECRET)
            .clock(FuzzSigning.CLOCK)
            .maxBodyBytes(64 * 1024)
            .build();

    /** Arbitrary header lines and body. */
    @FuzzTest(maxDuration = "2m")
    void verifyRefusesArbitraryHeadersOnlyWithSignatureException(FuzzedDataProvider data) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
            int lines = data.consumeInt(0, 3);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                values.add(data.consumeString(200));
            }
            headers.put(data.consumeBoolean() ? name : name.toUpperCase(java.util.Locale.ROOT), values);
        }
        byte[] body = data.consumeRemainingAsBytes();
        try {
            VERIFIER.verify(WebhookRequest.ofMultiValued(headers, body));
        } catch (SignatureException e) {
            StripeSignatureFuzzTest.checkTyped(e);
        }
    }

    /**
     * A genuine {@code v1} entry for an arbitrary id, among arbitrary other entries of the signature header:
     * accepted, unless the id is blank (then {@code MISSING_HEADER}).
     */
    @FuzzTest(maxDuration = "1m")
    void genuineSignatureAmongArbitraryEntriesIsAccepted(FuzzedDataProvider data) {
        String id = data.consumeString(100);
        String before = data.consumeString(300);
        String after = data.consumeString(300);
        byte[] body = data.consumeRemainingAsBytes();
        long timestamp = FuzzSigning.NOW - 10;
        String signature = before + " " + FuzzSigning.standardSignature(id, timestamp, body) + " " + after;
        SignatureException refused = null;
        try {
            VERIFIER.verify(WebhookRequest.of(Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", signature), body));
        } catch (SignatureException e) {
            StripeSignatureFuzzTest.checkTyped(e);
            refused = e;
        }
        if (id.isBlank()) {
            assertNotNull(refused, "a blank webhook-id is refused");
            assertEquals(Reason.MISSING_HEADER, refused.reason());
        } else {
            assertNull(refused, "a genuine signature was refused: " + (refused == null ? "" : refused.reason()));
        }
    }
}
