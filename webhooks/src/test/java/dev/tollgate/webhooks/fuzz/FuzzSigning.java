package dev.tollgate.webhooks.fuzz;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs fuzz inputs independently of the code under test (a fresh JDK {@code Mac}, the JDK's hex and base64
 * encoders), with made-up secrets and a fixed clock so that every input is reproducible.
 */
final class FuzzSigning {

    /** A made-up Stripe endpoint secret, used only by the fuzz targets. */
    static final String STRIPE_SECRET = "whsec_fuzzTargetsOnlyNotARealSecret0123456789";
    /** The raw key of the made-up Standard Webhooks secret. */
    static final byte[] STANDARD_KEY = "fuzz-targets-only-not-a-real-key".getBytes(StandardCharsets.US_ASCII);
    /** The made-up Standard Webhooks secret, {@code whsec_<base64 of STANDARD_KEY>}. */
    static final String STANDARD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(STANDARD_KEY);
    /** The time every verifier of the fuzz targets lives at, epoch seconds. */
    static final long NOW = 1_763_900_000L;
    /** A clock stopped at {@link #NOW}. */
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    private FuzzSigning() {
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

    /** The {@code Stripe-Signature} Stripe would send for this body at {@link #NOW}. */
    static String stripeHeader(byte[] body) {
        return "t=" + NOW + ",v1=" + HexFormat.of().formatHex(hmacSha256(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8),
                (NOW + ".").getBytes(StandardCharsets.US_ASCII), body));
    }

    /** The {@code webhook-signature} entry a Standard Webhooks sender would send. */
    static String standardSignature(String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmacSha256(STANDARD_KEY,
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
    }
}
