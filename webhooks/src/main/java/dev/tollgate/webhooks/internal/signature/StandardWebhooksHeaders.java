package dev.tollgate.webhooks.internal.signature;

import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.WebhookRequest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The three headers of a Standard Webhooks delivery, read and checked: {@code webhook-id} (not blank),
 * {@code webhook-timestamp} (ASCII digits, positive) and {@code webhook-signature} (space-separated
 * {@code <version>,<base64>} entries; each {@code v1} entry is decoded once, other versions are ignored).
 */
public final class StandardWebhooksHeaders {

    /** The message id header. */
    public static final String ID = "webhook-id";
    /** The attempt timestamp header. */
    public static final String TIMESTAMP = "webhook-timestamp";
    /** The signatures header. */
    public static final String SIGNATURE = "webhook-signature";

    private static final int MAX_TIMESTAMP_DIGITS = 18;

    private final String id;
    private final long timestamp;
    private final byte[] @Nullable [] v1;
    private final int v1Count;

    private StandardWebhooksHeaders(String id, long timestamp, byte[] @Nullable [] v1, int v1Count) {
        this.id = id;
        this.timestamp = timestamp;
        this.v1 = v1;
        this.v1Count = v1Count;
    }

    /**
     * Reads the headers of a delivery.
     *
     * @param request the delivery
     * @return the checked headers, with at least one {@code v1} entry
     * @throws SignatureException {@link Reason#MISSING_HEADER}, {@link Reason#MALFORMED_HEADER} or
     *     {@link Reason#NO_SIGNATURE}
     */
    public static StandardWebhooksHeaders read(WebhookRequest request) {
        List<String> ids = request.headerValues(ID);
        List<String> timestamps = request.headerValues(TIMESTAMP);
        List<String> signatures = request.headerValues(SIGNATURE);
        List<String> missing = new ArrayList<>(3);
        if (blank(ids)) {
            missing.add(ID);
        }
        if (blank(timestamps)) {
            missing.add(TIMESTAMP);
        }
        if (blank(signatures)) {
            missing.add(SIGNATURE);
        }
        if (!missing.isEmpty()) {
            throw new SignatureException(Reason.MISSING_HEADER, "the request lacks " + String.join(", ", missing)
                    + ": a Standard Webhooks delivery carries webhook-id, webhook-timestamp and webhook-signature;"
                    + " does a proxy strip them, or does the sender use branded names?");
        }
        String id = single(ids, ID);
        long timestamp = parseTimestamp(single(timestamps, TIMESTAMP));
        byte[] @Nullable [] candidates = new byte[2][];
        int count = 0;
        for (String value : signatures) {
            int length = value.length();
            int start = 0;
            while (start < length) {
                int end = value.indexOf(' ', start);
                if (end < 0) {
                    end = length;
                }
                int comma = value.indexOf(',', start);
                if (comma >= 0 && comma < end && comma - start == 2
                        && value.charAt(start) == 'v' && value.charAt(start + 1) == '1') {
                    if (count == candidates.length) {
                        candidates = Arrays.copyOf(candidates, count * 2);
                    }
                    candidates[count++] = SignatureEncodings.base64Sha256(value, comma + 1, end);
                }
                start = end + 1;
            }
        }
        if (count == 0) {
            throw new SignatureException(Reason.NO_SIGNATURE, SIGNATURE
                    + " has no v1,<base64> entry (only other versions, or none): this verifier checks symmetric"
                    + " (whsec_) signatures");
        }
        return new StandardWebhooksHeaders(id, timestamp, candidates, count);
    }

    private static boolean blank(List<String> values) {
        return values.isEmpty() || values.stream().allMatch(String::isBlank);
    }

    private static String single(List<String> values, String name) {
        String first = values.get(0);
        for (String other : values) {
            if (!other.equals(first)) {
                throw new SignatureException(Reason.MALFORMED_HEADER,
                        name + " was sent " + values.size() + " times with different values");
            }
        }
        return first;
    }

    private static long parseTimestamp(String text) {
        int length = text.length();
        if (length == 0 || length > MAX_TIMESTAMP_DIGITS) {
            throw malformedTimestamp(length);
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw malformedTimestamp(length);
            }
            value = value * 10 + (c - '0');
        }
        if (value == 0) {
            throw malformedTimestamp(length);
        }
        return value;
    }

    private static SignatureException malformedTimestamp(int length) {
        return new SignatureException(Reason.MALFORMED_HEADER, TIMESTAMP + " (" + length
                + " characters) is not a positive integer number of seconds since the epoch");
    }

    /** @return the message id, the idempotency key of the event */
    public String id() {
        return id;
    }

    /** @return the attempt timestamp, epoch seconds, positive */
    public long timestamp() {
        return timestamp;
    }

    /** @return how many {@code v1} entries the signature header carries */
    public int v1Count() {
        return v1Count;
    }

    /**
     * Tells whether any {@code v1} entry equals an expected HMAC, comparing in constant time per entry.
     *
     * @param expected the 32-byte HMAC computed over the signed content
     * @return true when an entry matches
     */
    public boolean anyV1Matches(byte[] expected) {
        boolean match = false;
        for (int i = 0; i < v1Count; i++) {
            byte[] candidate = v1[i];
            if (candidate != null && MessageDigest.isEqual(candidate, expected)) {
                match = true;
            }
        }
        return match;
    }

    /** Shows the id length, timestamp and signature count, never a signature. */
    @Override
    public String toString() {
        return "StandardWebhooksHeaders[id=" + id.length() + " chars, timestamp=" + timestamp + ", v1=" + v1Count + "]";
    }
}
