package dev.tollgate.webhooks.internal.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Normalises and digests {@code Authorization} header values so that {@code "Bearer abc"} and
 * {@code "abc"} compare equal, and compares them in constant time: both sides are reduced to their
 * SHA-256 digest first, so neither the content nor the length of the configured value leaks through timing.
 */
public final class BearerValue {

    private static final String BEARER = "bearer";

    private BearerValue() {
    }

    /**
     * Removes surrounding whitespace and a leading {@code Bearer} scheme (any case, followed by spaces).
     *
     * @param value a header or configured value
     * @return the credential part
     */
    public static String credential(String value) {
        String stripped = value.strip();
        if (stripped.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && (stripped.length() == BEARER.length()
                        || stripped.charAt(BEARER.length()) == ' ' || stripped.charAt(BEARER.length()) == '\t')) {
            return stripped.substring(BEARER.length()).strip();
        }
        return stripped;
    }

    /**
     * Digests a credential.
     *
     * @param credential the credential, as returned by {@link #credential(String)}
     * @return its SHA-256 digest
     */
    public static byte[] digest(String credential) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every Java SE platform must support", e);
        }
    }
}
