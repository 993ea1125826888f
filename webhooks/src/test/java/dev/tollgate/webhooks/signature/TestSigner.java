package dev.tollgate.webhooks.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs test deliveries independently of the code under test: a fresh {@code Mac} per call, the JDK's
 * own hex and base64 encoders, byte concatenation written out plainly.
 */
final class TestSigner {

    private TestSigner() {
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The hex {@code v1} Stripe would send: HMAC over {@code "<t>.<body>"} keyed with the secret's UTF-8 text. */
    static String stripeV1(String secret, long timestamp, byte[] body) {
        return HexFormat.of().formatHex(hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body));
    }

    static String stripeHeader(String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + stripeV1(secret, timestamp, body);
    }

    /** The base64 Standard Webhooks signature (without {@code v1,}). */
    static String standardV1(String whsecSecret, String id, long timestamp, byte[] body) {
        String encoded = whsecSecret.startsWith("whsec_") ? whsecSecret.substring(6) : whsecSecret;
        byte[] key = Base64.getDecoder().decode(encoded);
        return Base64.getEncoder().encodeToString(hmacSha256(key,
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
