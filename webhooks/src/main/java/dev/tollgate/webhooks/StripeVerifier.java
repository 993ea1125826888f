package dev.tollgate.webhooks;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.internal.signature.ConfigurationProblems;
import dev.tollgate.webhooks.internal.signature.HmacSha256Key;
import dev.tollgate.webhooks.internal.signature.StripeSignatureHeader;
import dev.tollgate.webhooks.internal.signature.TimestampWindow;
import dev.tollgate.webhooks.internal.signature.VerifierSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * Verifies Stripe's {@code Stripe-Signature} header: {@code t=<unix seconds>,v1=<hex>[,v1=…]}, where each
 * {@code v1} is the lower-case hex HMAC-SHA256 of {@code "<t>.<raw body>"} keyed with the endpoint's
 * signing secret ({@code whsec_…}, used as UTF-8 text, exactly as Stripe and stripe-java do).
 *
 * <pre>{@code
 * StripeVerifier verifier = StripeVerifier.builder()
 *         .secret(Secret.of(System.getenv("STRIPE_WEBHOOK_SECRET")))
 *         .build();
 * verifier.verify(rawBodyBytes, request.getHeader("Stripe-Signature")); // throws SignatureException
 * }</pre>
 *
 * <p>A delivery is accepted when any {@code v1} matches any configured secret (during a secret rotation,
 * configure the old and the new one), and its timestamp is within the tolerance of the clock, in either
 * direction. Unknown schemes ({@code v0}, …) are ignored; a header without {@code v1} is refused, and so is
 * one with more than {@value #MAX_V1_SIGNATURES} {@code v1} entries ({@link SignatureException.Reason#TOO_MANY_SIGNATURES},
 * 400): Stripe sends one per active signing secret. Bodies larger than {@code maxBodyBytes} are refused before
 * anything is hashed.
 *
 * <p>Agreement with stripe-java's {@code Webhook.Signature.verifyHeader} is proved by a differential test;
 * the intentional differences are: a timestamp further in the future than the tolerance is refused (stripe-java
 * accepts any future timestamp), several secrets can be configured, and garbled headers on which stripe-java
 * throws {@code NumberFormatException} or {@code ArrayIndexOutOfBoundsException} are refused with a
 * {@link SignatureException}, and a header with more than {@value #MAX_V1_SIGNATURES} {@code v1} entries is
 * refused (stripe-java compares every one).
 *
 * <p>Instances are immutable and thread-safe; build one per endpoint and share it.
 */
public final class StripeVerifier implements WebhookVerifier {

    /** The provider name, {@value}. */
    public static final String PROVIDER = "stripe";
    /** The header Stripe signs with, {@value}. */
    public static final String SIGNATURE_HEADER = StripeSignatureHeader.NAME;
    /** The default tolerance, 300 seconds, as in Stripe's libraries. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);
    /** The default body limit, 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /**
     * The most {@code v1} entries a {@code Stripe-Signature} header may carry, {@value}. Stripe sends one per
     * signing secret that is active on the endpoint (two while a rolled secret expires); a header with more is
     * refused with {@link SignatureException.Reason#TOO_MANY_SIGNATURES} before any entry is compared.
     */
    public static final int MAX_V1_SIGNATURES = StripeSignatureHeader.MAX_V1;

    private final List<Secret> secrets;
    private final HmacSha256Key[] keys;
    private final TimestampWindow window;
    private final int maxBodyBytes;

    private StripeVerifier(List<Secret> secrets, TimestampWindow window, int maxBodyBytes) {
        this.secrets = secrets;
        this.keys = secrets.stream().map(s -> HmacSha256Key.of(s.revealBytes())).toArray(HmacSha256Key[]::new);
        this.window = window;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Starts a builder; {@link Builder#secret(Secret)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@value #PROVIDER} */
    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * Verifies a delivery using its {@code Stripe-Signature} header (several header lines are joined with
     * {@code ,}, as HTTP allows).
     *
     * @param request the delivery with its raw body
     * @throws SignatureException when it is refused
     */
    @Override
    public void verify(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        checkBodySize(request.bodyLength());
        List<String> values = request.headerValues(SIGNATURE_HEADER);
        verify(request.body(), values.isEmpty() ? null : values.size() == 1 ? values.get(0) : String.join(",", values));
    }

    /**
     * Verifies a raw body against a {@code Stripe-Signature} header value.
     *
     * @param body the raw body bytes exactly as received
     * @param signatureHeader the header value, {@code null} when the request had none
     * @throws SignatureException when the delivery is refused; its {@link SignatureException#reason()} says why
     */
    public void verify(byte[] body, @Nullable String signatureHeader) {
        Objects.requireNonNull(body, "body");
        checkBodySize(body.length);
        if (signatureHeader == null || signatureHeader.isEmpty()) {
            throw new SignatureException(Reason.MISSING_HEADER, "the request has no " + SIGNATURE_HEADER
                    + " header: is this endpoint receiving deliveries from Stripe, and does a proxy strip the header?");
        }
        StripeSignatureHeader header = StripeSignatureHeader.parse(signatureHeader);
        window.check(SIGNATURE_HEADER, header.timestamp());
        byte[] prefix = (header.timestamp() + ".").getBytes(StandardCharsets.US_ASCII);
        for (HmacSha256Key key : keys) {
            Mac mac = key.threadMac();
            mac.update(prefix);
            mac.update(body);
            if (header.anyV1Matches(mac.doFinal())) {
                return;
            }
        }
        throw new SignatureException(Reason.SIGNATURE_MISMATCH, "no " + SIGNATURE_HEADER + " v1 signature ("
                + header.v1Count() + " present) matches the " + body.length + "-byte body with any of the "
                + keys.length + " configured secret(s): check that the secret is this endpoint's signing secret "
                + "(Dashboard or `stripe listen`), and that the raw request bytes are verified, not a re-serialized body");
    }

    private void checkBodySize(int length) {
        if (length > maxBodyBytes) {
            throw new SignatureException(Reason.BODY_TOO_LARGE, "the body has " + length + " bytes, more than the "
                    + maxBodyBytes + " this verifier accepts; it was not hashed. Raise maxBodyBytes if deliveries are "
                    + "legitimately this large");
        }
    }

    /** @return the number of configured secrets (for rotation checks) */
    public int secretCount() {
        return secrets.size();
    }

    /** @return the tolerance in either direction */
    public Duration tolerance() {
        return Duration.ofSeconds(window.toleranceSeconds());
    }

    /** @return the largest body accepted, in bytes */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Shows the settings with secrets masked. */
    @Override
    public String toString() {
        return "StripeVerifier[secrets=" + secrets + ", tolerance=" + window.toleranceSeconds() + "s, maxBodyBytes="
                + maxBodyBytes + "]";
    }

    /** Builds a {@link StripeVerifier}; validates everything in {@link #build()}. Not thread-safe. */
    public static final class Builder {

        private final VerifierSettings settings =
                VerifierSettings.timed("secret", DEFAULT_TOLERANCE, DEFAULT_MAX_BODY_BYTES);

        private Builder() {
        }

        /**
         * Adds a signing secret ({@code whsec_…}); call again to add the next one during a rotation.
         *
         * @param secret the endpoint's signing secret
         * @return this builder
         */
        public Builder secret(Secret secret) {
            settings.addSecret(secret);
            return this;
        }

        /**
         * Adds a signing secret given as text; prefer {@link #secret(Secret)} so the value cannot be printed.
         *
         * @param secret the endpoint's signing secret
         * @return this builder
         */
        public Builder secret(String secret) {
            settings.addSecret(secret);
            return this;
        }

        /**
         * Sets how far the signed timestamp may be from the clock, in either direction (default 300 s).
         *
         * @param tolerance whole seconds, from 1 s to 1 day
         * @return this builder
         */
        public Builder tolerance(Duration tolerance) {
            settings.tolerance(tolerance);
            return this;
        }

        /**
         * Sets the clock the tolerance is measured against (default {@link Clock#systemUTC()}).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            settings.clock(clock);
            return this;
        }

        /**
         * Sets the largest body accepted (default 1 MiB); larger ones are refused before hashing.
         *
         * @param maxBodyBytes the limit in bytes, positive
         * @return this builder
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            settings.maxBodyBytes(maxBodyBytes);
            return this;
        }

        /**
         * Validates the settings and builds the verifier.
         *
         * @return the verifier
         * @throws WebhookConfigurationException naming every problem found
         */
        public StripeVerifier build() {
            ConfigurationProblems problems = new ConfigurationProblems("StripeVerifier");
            settings.check(problems, (number, value, found) -> {
                if (value.startsWith("sk_") || value.startsWith("rk_") || value.startsWith("pk_")) {
                    found.add(ConfigurationProblems.secretLabel("secret", number, value) + " is a Stripe API key, not"
                            + " a webhook signing secret: use the endpoint's whsec_… secret");
                }
            });
            problems.throwIfAny();
            return new StripeVerifier(settings.secrets(), settings.window(), settings.maxBodyBytes());
        }

        /** Shows the settings with secrets masked. */
        @Override
        public String toString() {
            return "StripeVerifier.Builder[secrets=" + settings.maskedSecrets() + ", tolerance="
                    + settings.tolerance() + ", maxBodyBytes=" + settings.maxBodyBytes() + "]";
        }
    }
}
