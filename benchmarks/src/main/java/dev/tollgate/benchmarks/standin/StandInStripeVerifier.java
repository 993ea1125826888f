package dev.tollgate.benchmarks.standin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stand-in for Tollgate's {@code StripeVerifier}: what a careful hand-written verifier does. Parses
 * {@code t=…,v1=…}, checks the timestamp against an injected clock and a tolerance, computes
 * HMAC-SHA256 of {@code "{t}.{payload}"} with a {@link Mac} reused per thread, and compares every
 * {@code v1} signature in constant time. To be replaced by Tollgate's {@code StripeVerifier} once merged.
 */
public final class StandInStripeVerifier {

    private final SecretKeySpec key;
    private final long toleranceSeconds;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;

    /**
     * @param secret the endpoint secret ({@code whsec_…})
     * @param toleranceSeconds the largest accepted age of the timestamp, in seconds
     * @param clock the clock to judge the timestamp's age with
     */
    public StandInStripeVerifier(String secret, long toleranceSeconds, Clock clock) {
        this.key = new SecretKeySpec(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8),
                "HmacSHA256");
        this.toleranceSeconds = toleranceSeconds;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * Verifies a payload against its {@code Stripe-Signature} header.
     *
     * @param payload the exact request body
     * @param header the {@code Stripe-Signature} header value
     * @return whether the header carries a valid, recent signature of the payload
     */
    public boolean verify(String payload, String header) {
        long timestamp = -1;
        int start = 0;
        int length = header.length();
        // First pass: the timestamp.
        while (start < length) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            if (header.startsWith("t=", start)) {
                try {
                    timestamp = Long.parseLong(header, start + 2, end, 10);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            start = end + 1;
        }
        if (timestamp < 0 || Math.abs(clock.instant().getEpochSecond() - timestamp) > toleranceSeconds) {
            return false;
        }
        Mac mac = macs.get();
        mac.update(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        byte[] expected = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        // Second pass: any v1 signature may match (Stripe sends several while a secret is rolled).
        start = 0;
        while (start < length) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            if (header.startsWith("v1=", start) && end - start - 3 == 64) {
                byte[] given;
                try {
                    given = HexFormat.of().parseHex(header, start + 3, end);
                } catch (IllegalArgumentException e) {
                    given = null;
                }
                if (given != null && MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
            start = end + 1;
        }
        return false;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "StandInStripeVerifier[secret=****, tolerance=" + toleranceSeconds + "s]";
    }
}
