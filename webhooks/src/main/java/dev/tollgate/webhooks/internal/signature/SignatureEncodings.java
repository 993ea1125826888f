package dev.tollgate.webhooks.internal.signature;

import org.jspecify.annotations.Nullable;

/**
 * Strict decoders for the two encodings providers put signatures in. Both accept only the canonical form
 * a provider produces, so decoding and comparing bytes gives the same answer as comparing the encoded
 * strings, and both return {@code null} instead of throwing, because an undecodable candidate is simply a
 * signature that cannot match.
 */
public final class SignatureEncodings {

    /** Length in bytes of an HMAC-SHA256 value. */
    public static final int SHA256_BYTES = 32;

    private static final byte[] HEX_VALUES = new byte[128];
    private static final byte[] BASE64_VALUES = new byte[128];

    static {
        java.util.Arrays.fill(HEX_VALUES, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX_VALUES[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX_VALUES[c] = (byte) (c - 'a' + 10);
        }
        java.util.Arrays.fill(BASE64_VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private SignatureEncodings() {
    }

    /**
     * Decodes exactly 64 lower-case hex digits (the form Stripe sends) into 32 bytes.
     *
     * @param text the text holding the digits
     * @param start index of the first digit
     * @param end index after the last digit
     * @return the 32 bytes, or {@code null} when the range is not exactly 64 lower-case hex digits
     */
    public static byte @Nullable [] lowerHexSha256(String text, int start, int end) {
        if (end - start != 2 * SHA256_BYTES) {
            return null;
        }
        byte[] out = new byte[SHA256_BYTES];
        int bad = 0;
        for (int i = 0; i < SHA256_BYTES; i++) {
            int hi = hexValue(text.charAt(start + 2 * i));
            int lo = hexValue(text.charAt(start + 2 * i + 1));
            bad |= hi | lo;
            out[i] = (byte) ((hi << 4) | lo);
        }
        return bad < 0 ? null : out;
    }

    private static int hexValue(char c) {
        return c < 128 ? HEX_VALUES[c] : -1;
    }

    /**
     * Decodes the canonical padded base64 of 32 bytes (44 characters ending in one {@code =}, standard
     * alphabet, unused bits zero), the form Standard Webhooks senders produce.
     *
     * @param text the text holding the encoding
     * @param start index of the first character
     * @param end index after the last character
     * @return the 32 bytes, or {@code null} when the range is anything else
     */
    public static byte @Nullable [] base64Sha256(String text, int start, int end) {
        if (end - start != 44 || text.charAt(end - 1) != '=') {
            return null;
        }
        byte[] out = new byte[SHA256_BYTES];
        int bad = 0;
        int o = 0;
        int i = start;
        for (int group = 0; group < 10; group++, i += 4) { // 10 groups of 4 characters = 30 bytes
            int a = base64Value(text.charAt(i));
            int b = base64Value(text.charAt(i + 1));
            int c = base64Value(text.charAt(i + 2));
            int d = base64Value(text.charAt(i + 3));
            bad |= a | b | c | d;
            int bits = (a << 18) | (b << 12) | (c << 6) | d;
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        int a = base64Value(text.charAt(i));
        int b = base64Value(text.charAt(i + 1));
        int c = base64Value(text.charAt(i + 2));
        bad |= a | b | c;
        if (bad < 0 || (c & 0b11) != 0) { // the last character's two low bits carry no data: must be zero
            return null;
        }
        int bits = (a << 10) | (b << 4) | (c >> 2);
        out[o++] = (byte) (bits >> 8);
        out[o] = (byte) bits;
        return out;
    }

    private static int base64Value(char c) {
        return c < 128 ? BASE64_VALUES[c] : -1;
    }
}
