package dev.tollgate.webhooks;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.SignatureException.Reason;
import dev.tollgate.webhooks.internal.signature.BearerValue;
import dev.tollgate.webhooks.internal.signature.ConfigurationProblems;
import dev.tollgate.webhooks.internal.signature.VerifierSettings;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Verifies RevenueCat deliveries. RevenueCat does not sign its webhooks; it sends the fixed
 * {@code Authorization} header value configured in its dashboard, which the server must check. This
 * verifier accepts a delivery whose {@code Authorization} header equals a configured value, with or
 * without a {@code Bearer } prefix on either side, compared in constant time.
 *
 * <pre>{@code
 * RevenueCatVerifier verifier = RevenueCatVerifier.builder()
 *         .authorization(Secret.of(System.getenv("REVENUECAT_WEBHOOK_AUTHORIZATION")))
 *         .build();
 * verifier.verify(WebhookRequest.of(headers, rawBodyBytes)); // throws SignatureException (401 reasons)
 * }</pre>
 *
 * <p>Several values can be configured, to change the dashboard value without refusing deliveries in
 * between. A missing header is refused with {@link Reason#MISSING_AUTHORIZATION}, a wrong one with
 * {@link Reason#AUTHORIZATION_MISMATCH} (both HTTP 401); bodies larger than {@code maxBodyBytes} with
 * {@link Reason#BODY_TOO_LARGE}. Instances are immutable and thread-safe.
 */
public final class RevenueCatVerifier implements WebhookVerifier {

    /** The provider name, {@value}. */
    public static final String PROVIDER = "revenuecat";
    /** The header RevenueCat sends the configured value in, {@value}. */
    public static final String AUTHORIZATION_HEADER = "Authorization";
    /** The default body limit, 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    private final List<Secret> authorizations;
    private final byte[][] digests;
    private final int maxBodyBytes;

    private RevenueCatVerifier(List<Secret> authorizations, int maxBodyBytes) {
        this.authorizations = authorizations;
        this.digests = authorizations.stream()
                .map(a -> BearerValue.digest(BearerValue.credential(a.reveal())))
                .toArray(byte[][]::new);
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Starts a builder; {@link Builder#authorization(Secret)} is required.
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
     * Verifies a delivery's {@code Authorization} header.
     *
     * @param request the delivery
     * @throws SignatureException when it is refused; its {@link SignatureException#reason()} says why
     */
    @Override
    public void verify(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.bodyLength() > maxBodyBytes) {
            throw new SignatureException(Reason.BODY_TOO_LARGE, "the body has " + request.bodyLength()
                    + " bytes, more than the " + maxBodyBytes + " this verifier accepts. Raise maxBodyBytes if "
                    + "deliveries are legitimately this large");
        }
        List<String> values = request.headerValues(AUTHORIZATION_HEADER);
        if (values.isEmpty() || values.stream().allMatch(String::isBlank)) {
            throw new SignatureException(Reason.MISSING_AUTHORIZATION, "the request has no " + AUTHORIZATION_HEADER
                    + " header: set the webhook's Authorization header value in the RevenueCat dashboard");
        }
        if (values.size() > 1) {
            throw new SignatureException(Reason.AUTHORIZATION_MISMATCH, "the request has " + values.size() + " "
                    + AUTHORIZATION_HEADER + " headers; RevenueCat sends one");
        }
        byte[] received = BearerValue.digest(BearerValue.credential(values.get(0)));
        boolean match = false;
        for (byte[] expected : digests) {
            match |= MessageDigest.isEqual(received, expected);
        }
        if (!match) {
            throw new SignatureException(Reason.AUTHORIZATION_MISMATCH, "the " + AUTHORIZATION_HEADER
                    + " header does not match any of the " + digests.length + " configured value(s): compare with"
                    + " the value set in the RevenueCat dashboard (with or without 'Bearer ')");
        }
    }

    /** @return the number of configured values */
    public int authorizationCount() {
        return authorizations.size();
    }

    /** @return the largest body accepted, in bytes */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Shows the settings with values masked. */
    @Override
    public String toString() {
        return "RevenueCatVerifier[authorizations=" + authorizations + ", maxBodyBytes=" + maxBodyBytes + "]";
    }

    /** Builds a {@link RevenueCatVerifier}; validates everything in {@link #build()}. Not thread-safe. */
    public static final class Builder {

        private final VerifierSettings settings = VerifierSettings.untimed("authorization", DEFAULT_MAX_BODY_BYTES);

        private Builder() {
        }

        /**
         * Adds an accepted {@code Authorization} value ({@code Bearer } prefix optional); call again to accept
         * a second value while changing it in the dashboard.
         *
         * @param authorization the value configured in the RevenueCat dashboard
         * @return this builder
         */
        public Builder authorization(Secret authorization) {
            settings.addSecret(authorization);
            return this;
        }

        /**
         * Adds an accepted value given as text; prefer {@link #authorization(Secret)}.
         *
         * @param authorization the value configured in the RevenueCat dashboard
         * @return this builder
         */
        public Builder authorization(String authorization) {
            settings.addSecret(authorization);
            return this;
        }

        /**
         * Sets the largest body accepted (default 1 MiB).
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
        public RevenueCatVerifier build() {
            ConfigurationProblems problems = new ConfigurationProblems("RevenueCatVerifier");
            settings.check(problems, (number, value, found) -> {
                if (BearerValue.credential(value).isEmpty()) {
                    found.add("authorization #" + number + " is only the word 'Bearer': add the value after it");
                }
            });
            problems.throwIfAny();
            return new RevenueCatVerifier(settings.secrets(), settings.maxBodyBytes());
        }

        /** Shows the settings with values masked. */
        @Override
        public String toString() {
            return "RevenueCatVerifier.Builder[authorizations=" + settings.maskedSecrets() + ", maxBodyBytes="
                    + settings.maxBodyBytes() + "]";
        }
    }
}
