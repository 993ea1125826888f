package dev.tollgate.webhooks;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.internal.signature.ConfigurationProblems;
import dev.tollgate.webhooks.internal.signature.HmacSha256Key;
import dev.tollgate.webhooks.internal.signature.StandardWebhooksHeaders;
import dev.tollgate.webhooks.internal.signature.TimestampWindow;
import dev.tollgate.webhooks.internal.signature.VerifierSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Verifies deliveries signed per the <a href="https://www.standardwebhooks.com">Standard Webhooks</a>
 * specification (symmetric scheme): headers {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature}, the last a space-separated list of {@code v1,<base64>} entries, each the
 * HMAC-SHA256 of {@code "<id>.<timestamp>.<raw body>"} keyed with the base64-decoded part of the
 * {@code whsec_…} secret.
 *
 * <pre>{@code
 * StandardWebhooksVerifier verifier = StandardWebhooksVerifier.builder()
 *         .provider("acme")
 *         .secret(Secret.of(System.getenv("ACME_WEBHOOK_SECRET"))) // whsec_<base64>
 *         .build();
 * verifier.verify(WebhookRequest.of(headers, rawBodyBytes)); // throws SignatureException
 * }</pre>
 *
 * <p>A delivery is accepted when any {@code v1} entry matches any configured secret and its timestamp is
 * within the tolerance (default 5 minutes) of the clock in either direction. Other versions ({@code v1a},
 * {@code v2}, …) are ignored. Secrets may omit the {@code whsec_} prefix and the base64 padding. Bodies
 * larger than {@code maxBodyBytes} are refused before hashing. The {@code webhook-id} is the event's
 * idempotency key; like the reference libraries, any non-blank id is accepted (the specification asks senders
 * to keep {@code .} out of it). The timestamp must be plain ASCII digits. Instances are immutable and thread-safe.
 */
public final class StandardWebhooksVerifier implements WebhookVerifier {

    /** The default provider name, {@value}. */
    public static final String DEFAULT_PROVIDER = "standard-webhooks";
    /** The default tolerance, 5 minutes, as the specification's reference libraries use. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** The default body limit, 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    private static final String SECRET_PREFIX = "whsec_";
    private static final int MAX_PROVIDER_LENGTH = 64;

    private final String provider;
    private final List<Secret> secrets;
    private final HmacSha256Key[] keys;
    private final TimestampWindow window;
    private final int maxBodyBytes;

    private StandardWebhooksVerifier(String provider, List<Secret> secrets, List<byte[]> keys, TimestampWindow window,
            int maxBodyBytes) {
        this.provider = provider;
        this.secrets = secrets;
        this.keys = keys.stream().map(HmacSha256Key::of).toArray(HmacSha256Key[]::new);
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

    /** @return the configured provider name, {@value #DEFAULT_PROVIDER} unless set */
    @Override
    public String provider() {
        return provider;
    }

    /**
     * Verifies a delivery.
     *
     * @param request the delivery with its raw body
     * @throws SignatureException when it is refused; its {@link SignatureException#reason()} says why
     */
    @Override
    public void verify(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        byte[] body = request.body();
        if (body.length > maxBodyBytes) {
            throw new SignatureException(Reason.BODY_TOO_LARGE, "the body has " + body.length + " bytes, more than the "
                    + maxBodyBytes + " this verifier accepts; it was not hashed. Raise maxBodyBytes if deliveries are "
                    + "legitimately this large");
        }
        StandardWebhooksHeaders headers = StandardWebhooksHeaders.read(request);
        window.check(StandardWebhooksHeaders.TIMESTAMP, headers.timestamp());
        byte[] prefix = (headers.id() + "." + headers.timestamp() + ".").getBytes(StandardCharsets.UTF_8);
        for (HmacSha256Key key : keys) {
            Mac mac = key.threadMac();
            mac.update(prefix);
            mac.update(body);
            if (headers.anyV1Matches(mac.doFinal())) {
                return;
            }
        }
        throw new SignatureException(Reason.SIGNATURE_MISMATCH, "no " + StandardWebhooksHeaders.SIGNATURE
                + " v1 entry (" + headers.v1Count() + " present) matches the " + body.length + "-byte body with any of the "
                + keys.length + " configured secret(s): check the endpoint's whsec_ secret, and that the raw request "
                + "bytes are verified, not a re-serialized body");
    }

    /** @return the number of configured secrets */
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
        return "StandardWebhooksVerifier[provider=" + provider + ", secrets=" + secrets + ", tolerance="
                + window.toleranceSeconds() + "s, maxBodyBytes=" + maxBodyBytes + "]";
    }

    /** Builds a {@link StandardWebhooksVerifier}; validates everything in {@link #build()}. Not thread-safe. */
    public static final class Builder {

        private final VerifierSettings settings =
                VerifierSettings.timed("secret", DEFAULT_TOLERANCE, DEFAULT_MAX_BODY_BYTES);
        private String provider = DEFAULT_PROVIDER;

        private Builder() {
        }

        /**
         * Adds a signing secret, {@code whsec_<base64>} (prefix and padding optional); call again to add the
         * next one during a rotation.
         *
         * @param secret the signing secret
         * @return this builder
         */
        public Builder secret(Secret secret) {
            settings.addSecret(secret);
            return this;
        }

        /**
         * Adds a signing secret given as text; prefer {@link #secret(Secret)} so the value cannot be printed.
         *
         * @param secret the signing secret, {@code whsec_<base64>}
         * @return this builder
         */
        public Builder secret(String secret) {
            settings.addSecret(secret);
            return this;
        }

        /**
         * Names the provider, as stored with each event (default {@value #DEFAULT_PROVIDER}).
         *
         * @param provider lower-case letters, digits, {@code .}, {@code _} or {@code -}; at most 64 characters
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Sets how far the signed timestamp may be from the clock, in either direction (default 5 minutes).
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
        public StandardWebhooksVerifier build() {
            ConfigurationProblems problems = new ConfigurationProblems("StandardWebhooksVerifier");
            checkProvider(problems);
            List<byte[]> keys = new ArrayList<>();
            settings.check(problems, (number, value, found) -> {
                String label = ConfigurationProblems.secretLabel("secret", number, value);
                String encoded = value.startsWith(SECRET_PREFIX) ? value.substring(SECRET_PREFIX.length()) : value;
                if (encoded.isEmpty()) {
                    found.add(label + " has nothing after the whsec_ prefix");
                    return;
                }
                try {
                    byte[] key = Base64.getDecoder().decode(encoded);
                    if (key.length == 0) {
                        found.add(label + " decodes to an empty key");
                    } else {
                        keys.add(key);
                    }
                } catch (IllegalArgumentException e) {
                    found.add(label + " is not base64 after the whsec_ prefix: copy the whole secret the sender"
                            + " shows (standard base64 alphabet, A-Z a-z 0-9 + /)");
                }
            });
            problems.throwIfAny();
            return new StandardWebhooksVerifier(provider, settings.secrets(), keys, settings.window(),
                    settings.maxBodyBytes());
        }

        private void checkProvider(ConfigurationProblems problems) {
            boolean valid = !provider.isEmpty() && provider.length() <= MAX_PROVIDER_LENGTH;
            for (int i = 0; valid && i < provider.length(); i++) {
                char c = provider.charAt(i);
                valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
            }
            if (!valid) {
                problems.add("provider must be 1 to 64 lower-case letters, digits, '.', '_' or '-' (starting with a "
                        + "letter or digit), but was \"" + provider + "\"");
            }
        }

        /** Shows the settings with secrets masked. */
        @Override
        public String toString() {
            return "StandardWebhooksVerifier.Builder[provider=" + provider + ", secrets=" + settings.maskedSecrets()
                    + ", tolerance=" + settings.tolerance() + ", maxBodyBytes=" + settings.maxBodyBytes() + "]";
        }
    }
}
