package dev.tollgate.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small verifier for the pipeline's tests (the real Stripe/RevenueCat/Standard Webhooks verifiers are
 * tested on their own): header {@code x-test-signature: t=<epoch seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">}, a timestamp tolerance against a clock, and a body limit.
 */
final class HmacTestVerifier implements WebhookVerifier {

    static final String HEADER = "x-test-signature";

    private final String provider;
    private final byte[] secret;
    private final Clock clock;
    private final Duration tolerance = Duration.ofMinutes(5);
    private final int maxBody;

    HmacTestVerifier(String provider, String secret, Clock clock, int maxBody) {
        this.provider = provider;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.maxBody = maxBody;
    }

    HmacTestVerifier(String provider, String secret, Clock clock) {
        this(provider, secret, clock, 1024 * 1024);
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public void verify(WebhookRequest request) {
        if (request.bodyLength() > maxBody) {
            throw new SignatureException(SignatureException.Reason.BODY_TOO_LARGE, "body too large");
        }
        String header = request.header(HEADER).orElseThrow(
                () -> new SignatureException(SignatureException.Reason.MISSING_HEADER, "no " + HEADER));
        String[] parts = header.split(",", -1);
        if (parts.length != 2 || !parts[0].startsWith("t=") || !parts[1].startsWith("v1=")) {
            throw new SignatureException(SignatureException.Reason.MALFORMED_HEADER, "malformed " + HEADER);
        }
        long t;
        byte[] given;
        try {
            t = Long.parseLong(parts[0].substring(2));
            given = HexFormat.of().parseHex(parts[1].substring(3));
        } catch (IllegalArgumentException e) {
            throw new SignatureException(SignatureException.Reason.MALFORMED_HEADER, "malformed " + HEADER);
        }
        long age = clock.instant().getEpochSecond() - t;
        if (Math.abs(age) > tolerance.toSeconds()) {
            throw new SignatureException(SignatureException.Reason.TIMESTAMP_OUTSIDE_TOLERANCE, "timestamp " + age + " s off");
        }
        if (!MessageDigest.isEqual(given, sign(secret, t, request.body()))) {
            throw new SignatureException(SignatureException.Reason.SIGNATURE_MISMATCH, "no signature matches");
        }
    }

    static String header(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(sign(secret.getBytes(StandardCharsets.UTF_8), t, body));
    }

    private static byte[] sign(byte[] key, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
