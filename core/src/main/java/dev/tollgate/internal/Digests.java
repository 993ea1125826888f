package dev.tollgate.internal;

import dev.tollgate.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256 as lower-case hex, the form Tollgate stores in its tables (consent
 * fingerprints, legal document hashes). Internal: not part of the API, may change without notice.
 */
public final class Digests {

    private Digests() {
    }

    /**
     * @param text any text, hashed as UTF-8
     * @return the SHA-256 of the text, lower-case hex
     */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * @param key the HMAC key
     * @param text the value to hash, as UTF-8
     * @return the HMAC-SHA256 of the text, lower-case hex
     */
    public static String hmacSha256Hex(Secret key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.revealBytes(), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }
}
