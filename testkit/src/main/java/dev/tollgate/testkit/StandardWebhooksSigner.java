package dev.tollgate.testkit;

import dev.tollgate.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs per the Standard Webhooks specification (symmetric scheme): headers {@code webhook-id} (the event id),
 * {@code webhook-timestamp} (unix seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, keyed with the base64-decoded part of the {@code whsec_…} secret.
 *
 * <pre>{@code
 * StandardWebhooksSigner signer = StandardWebhooksSigner.of("acme", Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), clock);
 * SignedDelivery delivery = signer.sign(StandardWebhooksEventFixture.of("invoice.paid").build());
 * }</pre>
 */
public final class StandardWebhooksSigner implements WebhookSigner {

    /** The default provider name, {@value}, as Tollgate's {@code StandardWebhooksVerifier} uses. */
    public static final String DEFAULT_PROVIDER = "standard-webhooks";

    private final String provider;
    private final Secret secret;
    private final byte[] key;
    private final Clock clock;

    private StandardWebhooksSigner(String provider, Secret secret, byte[] key, Clock clock) {
        this.provider = provider;
        this.secret = secret;
        this.key = key;
        this.clock = clock;
    }

    /**
     * Creates a signer for the provider {@value #DEFAULT_PROVIDER}.
     *
     * @param secret {@code whsec_<base64>} (the prefix is optional)
     * @param clock the time written as {@code webhook-timestamp}
     * @return the signer
     * @throws IllegalArgumentException when the secret is not base64 after the prefix
     */
    public static StandardWebhooksSigner of(Secret secret, Clock clock) {
        return of(DEFAULT_PROVIDER, secret, clock);
    }

    /**
     * Creates a signer for a named provider (the name the receiving endpoint's verifier has).
     *
     * @param provider the provider name
     * @param secret {@code whsec_<base64>} (the prefix is optional)
     * @param clock the time written as {@code webhook-timestamp}
     * @return the signer
     * @throws IllegalArgumentException when the secret is not base64 after the prefix
     */
    public static StandardWebhooksSigner of(String provider, Secret secret, Clock clock) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(clock, "clock");
        if (provider.isBlank()) {
            throw new IllegalArgumentException("provider must not be blank");
        }
        String value = secret.reveal().strip();
        String encoded = value.startsWith("whsec_") ? value.substring(6) : value;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Standard Webhooks secret " + secret
                    + " is not base64 after the whsec_ prefix: use the whole secret the sender shows");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the Standard Webhooks secret " + secret + " decodes to an empty key");
        }
        return new StandardWebhooksSigner(provider, secret, key, clock);
    }

    /** @return the provider name */
    @Override
    public String provider() {
        return provider;
    }

    /** Signs at the clock's current time. */
    @Override
    public SignedDelivery sign(EventPayload event) {
        return sign(event, clock.instant());
    }

    /**
     * Signs at a given time.
     *
     * @param event the event; its id becomes {@code webhook-id}
     * @param at the time written as {@code webhook-timestamp}, in whole seconds
     * @return the delivery
     */
    public SignedDelivery sign(EventPayload event, Instant at) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        byte[] body = event.body();
        long timestamp = at.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", event.id());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", "v1," + signature(event.id(), timestamp, body));
        return new SignedDelivery(provider, event.id(), event.type(), headers, body);
    }

    /**
     * Computes the base64 signature of raw bytes, without the {@code v1,} prefix.
     *
     * @param id the message id
     * @param timestamp unix seconds
     * @param body the raw body
     * @return the base64 HMAC
     */
    public String signature(String id, long timestamp, byte[] body) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        return Base64.getEncoder().encodeToString(HmacSha256.of(key,
                (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
    }

    /** Shows the provider and the masked secret only. */
    @Override
    public String toString() {
        return "StandardWebhooksSigner[provider=" + provider + ", secret=" + secret + "]";
    }
}
