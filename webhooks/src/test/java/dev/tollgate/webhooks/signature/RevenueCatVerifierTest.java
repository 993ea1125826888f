package dev.tollgate.webhooks.signature;

import static dev.tollgate.webhooks.signature.TestSigner.utf8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.WebhookRequest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RevenueCatVerifierTest {

    private static final String TOKEN = "rc-3c7f1d9a-4b6e-4f2a-9e1d-2a7b8c9d0e1f";
    private static final byte[] BODY = utf8("{\"api_version\":\"1.0\",\"event\":{\"type\":\"RENEWAL\"}}");

    private static WebhookRequest withAuthorization(String value) {
        return WebhookRequest.of(Map.of("Authorization", value), BODY);
    }

    private static Reason refusal(RevenueCatVerifier verifier, WebhookRequest request) {
        return assertThrows(SignatureException.class, () -> verifier.verify(request)).reason();
    }

    @Test
    void bearerPrefixIsOptionalOnEitherSide() {
        for (String configured : List.of(TOKEN, "Bearer " + TOKEN, "bearer  " + TOKEN)) {
            RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization(Secret.of(configured)).build();
            for (String sent : List.of(TOKEN, "Bearer " + TOKEN, "BEARER " + TOKEN, "Bearer\t" + TOKEN, " " + TOKEN + " ")) {
                assertDoesNotThrow(() -> verifier.verify(withAuthorization(sent)), configured + " / " + sent);
            }
            assertEquals("revenuecat", verifier.provider());
        }
    }

    @Test
    void missingAndWrongValuesAreRefusedWith401Reasons() {
        RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization(TOKEN).build();
        SignatureException missing = assertThrows(SignatureException.class,
                () -> verifier.verify(WebhookRequest.of(Map.of(), BODY)));
        assertEquals(Reason.MISSING_AUTHORIZATION, missing.reason());
        assertEquals(401, missing.reason().httpStatus());
        assertEquals(Reason.MISSING_AUTHORIZATION, refusal(verifier, withAuthorization("")));
        assertEquals(Reason.MISSING_AUTHORIZATION, refusal(verifier, withAuthorization("   ")));
        for (String wrong : List.of("Bearer", "Bearer ", TOKEN + "x", TOKEN.substring(1), TOKEN.toUpperCase(java.util.Locale.ROOT),
                "Basic " + TOKEN, "Bearer Bearer " + TOKEN, TOKEN.repeat(1000), "\u00e9" + TOKEN, TOKEN + "\u0000")) {
            SignatureException e = assertThrows(SignatureException.class, () -> verifier.verify(withAuthorization(wrong)));
            assertEquals(Reason.AUTHORIZATION_MISMATCH, e.reason(), wrong);
            assertEquals(401, e.reason().httpStatus());
            assertFalse(e.getMessage().contains(TOKEN.substring(3, 12)), e.getMessage());
        }
        WebhookRequest twoHeaders = WebhookRequest.ofMultiValued(Map.of("Authorization", List.of(TOKEN, "other")), BODY);
        assertEquals(Reason.AUTHORIZATION_MISMATCH, refusal(verifier, twoHeaders));
    }

    @Test
    void rotationAcceptsBothValues() {
        RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization(TOKEN).authorization("Bearer next-value-0123456789").build();
        assertEquals(2, verifier.authorizationCount());
        assertDoesNotThrow(() -> verifier.verify(withAuthorization(TOKEN)));
        assertDoesNotThrow(() -> verifier.verify(withAuthorization("next-value-0123456789")));
        assertEquals(Reason.AUTHORIZATION_MISMATCH, refusal(verifier, withAuthorization("third-value-0123456789")));
    }

    @Test
    void bodyLimitAndArbitraryBodies() {
        RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization(TOKEN).maxBodyBytes(BODY.length).build();
        assertDoesNotThrow(() -> verifier.verify(withAuthorization(TOKEN)));
        assertDoesNotThrow(() -> verifier.verify(WebhookRequest.of(Map.of("Authorization", TOKEN), new byte[0])));
        assertDoesNotThrow(() -> verifier.verify(WebhookRequest.of(Map.of("Authorization", TOKEN), utf8("not json"))));
        SignatureException large = assertThrows(SignatureException.class, () -> verifier.verify(
                WebhookRequest.of(Map.of(), new byte[BODY.length + 1])));
        assertEquals(Reason.BODY_TOO_LARGE, large.reason());
        assertEquals(413, large.reason().httpStatus());
    }

    @Test
    void noExceptionOtherThanSignatureExceptionEscapesOnRandomHeaders() {
        RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization(TOKEN).build();
        Random random = new Random(3);
        String alphabet = "Bearer rc-0123456789abcdef\t\u00e9\u0000";
        for (int i = 0; i < 3_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(i % 100 == 0 ? 10_000 : 60);
            for (int j = 0; j < length; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                verifier.verify(withAuthorization(value.toString()));
            } catch (SignatureException expected) {
                // the only way to refuse
            }
        }
    }
}
