package dev.tollgate.webhooks.internal.signature;

import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code Stripe-Signature} header: {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]}.
 *
 * <p>Parsing follows stripe-java's reading of the header, so both accept and refuse the same headers:
 * items are separated by {@code ,} and split at their first {@code =}; keys are case-sensitive and not
 * trimmed; the first {@code t} wins and is read as {@link Long#parseLong(String)} reads it; every
 * {@code v1} is a candidate; other schemes ({@code v0}, anything unknown) are ignored. Where stripe-java
 * throws an unchecked exception (a {@code t} or {@code v1} without {@code =}, a {@code t} that is not a
 * number) this parser refuses with {@link Reason#MALFORMED_HEADER}.
 *
 * <p>A header with more than {@value #MAX_V1} {@code v1} items is refused with {@link Reason#TOO_MANY_SIGNATURES}
 * as soon as the first one too many is read (stripe-java compares every one).
 *
 * <p>Each {@code v1} is hex-decoded once; a candidate that is not 64 lower-case hex digits is kept as
 * {@code null}, a signature that cannot match.
 */
public final class StripeSignatureHeader {

    /** The header name, as Stripe spells it. */
    public static final String NAME = "Stripe-Signature";
    /** The most {@code v1} items a header may carry, {@value}. */
    public static final int MAX_V1 = 8;

    private final long timestamp;
    private final byte[] @Nullable [] v1;
    private final int v1Count;

    private StripeSignatureHeader(long timestamp, byte[] @Nullable [] v1, int v1Count) {
        this.timestamp = timestamp;
        this.v1 = v1;
        this.v1Count = v1Count;
    }

    /**
     * Parses a header value.
     *
     * @param header the value, not blank
     * @return the parsed header, with a positive timestamp and at least one {@code v1}
     * @throws SignatureException {@link Reason#MALFORMED_HEADER}, {@link Reason#NO_SIGNATURE} or
     *         {@link Reason#TOO_MANY_SIGNATURES}
     */
    public static StripeSignatureHeader parse(String header) {
        int length = header.length();
        long timestamp = 0;
        boolean timestampSeen = false;
        byte[] @Nullable [] candidates = new byte[2][];
        int count = 0;
        int start = 0;
        while (start <= length) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int equals = header.indexOf('=', start);
            if (equals >= end) {
                equals = -1;
            }
            int keyEnd = equals < 0 ? end : equals;
            int keyLength = keyEnd - start;
            if (keyLength == 1 && header.charAt(start) == 't') {
                if (!timestampSeen) {
                    timestampSeen = true;
                    timestamp = parseTimestamp(header, equals, end);
                }
            } else if (keyLength == 2 && header.charAt(start) == 'v' && header.charAt(start + 1) == '1') {
                if (equals < 0) {
                    throw new SignatureException(Reason.MALFORMED_HEADER,
                            NAME + " has a v1 item without '=': expected v1=<64 hex digits>");
                }
                if (count == MAX_V1) {
                    throw new SignatureException(Reason.TOO_MANY_SIGNATURES, NAME + " carries more than " + MAX_V1
                            + " v1 signatures: Stripe sends one per active signing secret; pass the header exactly as"
                            + " received, without concatenating several deliveries' headers");
                }
                if (count == candidates.length) {
                    candidates = Arrays.copyOf(candidates, count * 2);
                }
                candidates[count++] = SignatureEncodings.lowerHexSha256(header, equals + 1, end);
            }
            start = end + 1;
        }
        if (!timestampSeen) {
            throw new SignatureException(Reason.MALFORMED_HEADER,
                    NAME + " has no t= timestamp: expected t=<unix seconds>,v1=<hex>; pass the header exactly as received");
        }
        if (timestamp <= 0) {
            throw new SignatureException(Reason.MALFORMED_HEADER,
                    NAME + " timestamp must be a positive number of seconds since the epoch");
        }
        if (count == 0) {
            throw new SignatureException(Reason.NO_SIGNATURE, NAME
                    + " has no v1 signature (only other schemes, or none): Stripe signs with v1; is this a test header?");
        }
        return new StripeSignatureHeader(timestamp, candidates, count);
    }

    private static long parseTimestamp(String header, int equals, int end) {
        if (equals < 0) {
            throw new SignatureException(Reason.MALFORMED_HEADER,
                    NAME + " has a t item without '=': expected t=<unix seconds>");
        }
        try {
            return Long.parseLong(header, equals + 1, end, 10);
        } catch (NumberFormatException e) {
            throw new SignatureException(Reason.MALFORMED_HEADER, NAME + " timestamp (t=, "
                    + (end - equals - 1) + " characters) is not a decimal number of seconds that fits in 64 bits");
        }
    }

    /** @return the signed timestamp, epoch seconds, positive */
    public long timestamp() {
        return timestamp;
    }

    /** @return how many {@code v1} items the header carries */
    public int v1Count() {
        return v1Count;
    }

    /**
     * Tells whether any {@code v1} equals an expected HMAC, comparing in constant time per candidate.
     *
     * @param expected the 32-byte HMAC computed over the signed payload
     * @return true when a candidate matches
     */
    public boolean anyV1Matches(byte[] expected) {
        boolean match = false;
        for (int i = 0; i < v1Count; i++) {
            byte[] candidate = v1[i];
            if (candidate != null && java.security.MessageDigest.isEqual(candidate, expected)) {
                match = true;
            }
        }
        return match;
    }

    /** Shows the timestamp and the number of signatures, never a signature. */
    @Override
    public String toString() {
        return "StripeSignatureHeader[t=" + timestamp + ", v1=" + v1Count + " signature(s)]";
    }
}
