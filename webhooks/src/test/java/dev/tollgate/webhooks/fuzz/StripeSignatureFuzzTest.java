package dev.tollgate.webhooks.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the {@code Stripe-Signature} header parser through {@link StripeVerifier#verify}: whatever the
 * header and body, the verifier returns (only for a genuine signature) or throws a
 * {@link SignatureException} with a reason and a message that never holds the secret; nothing else
 * escapes. In the normal build the targets replay their seed corpus ({@code src/test/resources/…/fuzz/
 * StripeSignatureFuzzTestInputs/<method>/}); {@code JAZZER_FUZZ=1} fuzzes (see the webhooks README).
 */
class StripeSignatureFuzzTest {

    private static final StripeVerifier VERIFIER = StripeVerifier.builder()
            .secret(FuzzSigning.STRIPE_SECRET)
            .clock(FuzzSigning.CLOCK)
            .maxBodyBytes(64 * 1024)
            .build();

    /**
     * Mode 0: an arbitrary header. Mode 1: a genuine header followed by arbitrary items, which must be
     * accepted unless an item is a malformed {@code t}/{@code v1} (stripe-java throws on those too).
     * Mode 2: a genuine header over another body, which must be refused as a mismatch.
     */
    @FuzzTest(maxDuration = "2m")
    void verifyRefusesOnlyWithTypedSignatureExceptions(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 2);
        String junk = data.consumeString(2_000);
        byte[] body = data.consumeRemainingAsBytes();
        String header = switch (mode) {
            case 0 -> junk;
            case 1 -> FuzzSigning.stripeHeader(body) + "," + junk;
            default -> FuzzSigning.stripeHeader(append(body, (byte) '!'));
        };
        SignatureException refused = verify(body, header);
        if (mode == 1 && refused != null) {
            assertTrue(refused.reason() == Reason.MALFORMED_HEADER || refused.reason() == Reason.BODY_TOO_LARGE,
                    "a genuine header with trailing items is refused only for a malformed t/v1 item, not "
                            + refused.reason());
        }
        if (mode == 2) {
            assertNotNull(refused, "a signature over another body must be refused");
            assertTrue(refused.reason() == Reason.SIGNATURE_MISMATCH || refused.reason() == Reason.BODY_TOO_LARGE,
                    refused.reason().toString());
        }
        if (mode == 0 && refused == null) {
            // Accepting an arbitrary header would mean the fuzzer forged an HMAC-SHA256: check it did not.
            String genuineV1 = FuzzSigning.stripeHeader(body).substring(("t=" + FuzzSigning.NOW + ",").length());
            assertTrue(header.contains(genuineV1), "accepted a header that carries no genuine signature");
        }
    }

    /** The request path: several {@code Stripe-Signature} lines (joined with {@code ,}) and other headers. */
    @FuzzTest(maxDuration = "1m")
    void verifyRequestWithSeveralHeaderLines(FuzzedDataProvider data) {
        int lines = data.consumeInt(0, 4);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            values.add(data.consumeString(300));
        }
        byte[] body = data.consumeRemainingAsBytes();
        WebhookRequest request = WebhookRequest.ofMultiValued(Map.of(StripeVerifier.SIGNATURE_HEADER, values,
                "Content-Type", List.of("application/json")), body);
        try {
            VERIFIER.verify(request);
            assertFalse(values.isEmpty(), "accepted a request without a signature");
        } catch (SignatureException e) {
            checkTyped(e);
        }
    }

    private static SignatureException verify(byte[] body, String header) {
        try {
            VERIFIER.verify(body, header);
            return null;
        } catch (SignatureException e) {
            checkTyped(e);
            return e;
        }
    }

    static void checkTyped(SignatureException e) {
        if (e.reason() == null) {
            fail("a SignatureException without a reason");
        }
        String message = String.valueOf(e.getMessage());
        assertFalse(message.contains(FuzzSigning.STRIPE_SECRET) || message.contains(FuzzSigning.STANDARD_SECRET),
                "the message holds a secret");
        assertTrue(e.reason().httpStatus() >= 400 && e.reason().httpStatus() < 500, e.reason().toString());
    }

    private static byte[] append(byte[] body, byte extra) {
        byte[] longer = java.util.Arrays.copyOf(body, body.length + 1);
        longer[body.length] = extra;
        return longer;
    }
}
