package dev.tollgate.webhooks.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.webhooks.internal.signature.SignatureEncodings;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignatureEncodingsTest {

    @Test
    void lowerHexRoundTripsAndAnythingElseIsNull() {
        Random random = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String hex = HexFormat.of().formatHex(bytes);
            String framed = "v1=" + hex + ",";
            assertArrayEquals(bytes, SignatureEncodings.lowerHexSha256(framed, 3, 67));
            if (!hex.equals(hex.toUpperCase(Locale.ROOT))) {
                assertNull(SignatureEncodings.lowerHexSha256(hex.toUpperCase(Locale.ROOT), 0, 64));
            }
        }
        String valid = "0".repeat(64);
        assertNull(SignatureEncodings.lowerHexSha256(valid, 0, 63));
        assertNull(SignatureEncodings.lowerHexSha256(valid + "0", 0, 65));
        assertNull(SignatureEncodings.lowerHexSha256("g" + valid.substring(1), 0, 64));
        assertNull(SignatureEncodings.lowerHexSha256("\u0660" + valid.substring(1), 0, 64));
        assertNull(SignatureEncodings.lowerHexSha256("\uff10" + valid.substring(1), 0, 64));
        assertNull(SignatureEncodings.lowerHexSha256("", 0, 0));
    }

    @Test
    void canonicalBase64RoundTripsAndAnythingElseIsNull() {
        Random random = new Random(2);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String encoded = Base64.getEncoder().encodeToString(bytes);
            assertArrayEquals(bytes, SignatureEncodings.base64Sha256("v1," + encoded + " ", 3, 47));
            // Same bytes, non-canonical last character (unused bits set): refused, as a string compare would.
            char last = encoded.charAt(42);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            char sibling = alphabet.charAt(alphabet.indexOf(last) | 1);
            assertNull(SignatureEncodings.base64Sha256(encoded.substring(0, 42) + sibling + "=", 0, 44));
            assertNull(SignatureEncodings.base64Sha256("-" + encoded.substring(1), 0, 44)); // URL-safe alphabet
            assertNull(SignatureEncodings.base64Sha256(encoded.substring(0, 10) + "_" + encoded.substring(11), 0, 44));
        }
        String valid = "A".repeat(43) + "=";
        assertNull(SignatureEncodings.base64Sha256(valid, 0, 43));
        assertNull(SignatureEncodings.base64Sha256("A".repeat(44), 0, 44));
        assertNull(SignatureEncodings.base64Sha256("=" + valid.substring(1), 0, 44));
        assertNull(SignatureEncodings.base64Sha256("\u00c0" + valid.substring(1), 0, 44));
        assertNull(SignatureEncodings.base64Sha256("A".repeat(40) + "AA==", 0, 44));
    }
}
