package dev.tollgate.testkit;

import dev.tollgate.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Signs like Stripe: header {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, keyed
 * with the endpoint's signing secret used as UTF-8 text. Deliveries are accepted by Tollgate's
 * {@code StripeVerifier} and by stripe-java's {@code Webhook.constructEvent}.
 *
 * <pre>{@code
 * StripeSigner signer = StripeSigner.of(Secret.of("whsec_test_secret"), clock);
 * SignedDelivery delivery = signer.sign(StripeEventFixture.invoicePaid().customer("cus_1").build());
 * pipeline.handle("stripe", delivery.toRequest());
 * }</pre>
 */
public final class StripeSigner implements WebhookSigner {

    /** The provider name, {@value}. */
    public static final String PROVIDER = "stripe";
    /** The signature header, {@value}. */
    public static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final Secret secret;
    private final Clock clock;

    private StripeSigner(Secret secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /**
     * Creates a signer that signs at the clock's time.
     *
     * @param secret the endpoint's signing secret ({@code whsec_…})
     * @param clock the time written as {@code t=}; use the verifier's clock
     * @return the signer
     */
    public static StripeSigner of(Secret secret, Clock clock) {
        return new StripeSigner(Objects.requireNonNull(secret, "secret"), Objects.requireNonNull(clock, "clock"));
    }

    /** @return {@value #PROVIDER} */
    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Signs at the clock's current time. */
    @Override
    public SignedDelivery sign(EventPayload event) {
        return sign(event, clock.instant());
    }

    /**
     * Signs at a given time: an old time makes a stale delivery, as a replayed request would be.
     *
     * @param event the event
     * @param at the signing time, written as {@code t=} in whole seconds
     * @return the delivery
     */
    public SignedDelivery sign(EventPayload event, Instant at) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        byte[] body = event.body();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put(SIGNATURE_HEADER, signatureHeader(body, at.getEpochSecond()));
        return new SignedDelivery(PROVIDER, event.id(), event.type(), headers, body);
    }

    /**
     * Computes a {@code Stripe-Signature} header value for raw bytes.
     *
     * @param body the raw body
     * @param timestamp the signing time in unix seconds
     * @return {@code t=<timestamp>,v1=<hex>}
     */
    public String signatureHeader(byte[] body, long timestamp) {
        Objects.requireNonNull(body, "body");
        byte[] mac = HmacSha256.of(secret.revealBytes(), (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body);
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac);
    }

    /** Shows the masked secret only. */
    @Override
    public String toString() {
        return "StripeSigner[secret=" + secret + "]";
    }
}
