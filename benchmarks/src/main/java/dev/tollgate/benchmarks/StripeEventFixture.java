package dev.tollgate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A realistic Stripe {@code customer.subscription.updated} event of exactly {@value #PAYLOAD_BYTES} bytes
 * (UTF-8), written for these benchmarks, and its {@code Stripe-Signature} header.
 *
 * <p>The secret is a made-up benchmark value, not a credential.
 */
public final class StripeEventFixture {

    /** Size of every payload, in UTF-8 bytes. */
    public static final int PAYLOAD_BYTES = 2048;

    /** The made-up endpoint secret every benchmark signs and verifies with. */
    public static final String SECRET = "whsec_tollgateBenchmarkOnlyNotARealSecret0123";

    /** Event type of the fixture. */
    public static final String TYPE = "customer.subscription.updated";

    private static final String TEMPLATE = """
            {"id":"%s","object":"event","api_version":"2024-06-20","created":1763900000,\
            "data":{"object":{"id":"sub_1QbXyZ2eZvKYlo2C0a1b2c3d","object":"subscription",\
            "application":null,"application_fee_percent":null,"automatic_tax":{"enabled":false,"liability":null},\
            "billing_cycle_anchor":1761308000,"cancel_at":null,"cancel_at_period_end":false,"canceled_at":null,\
            "collection_method":"charge_automatically","created":1761308000,"currency":"eur",\
            "current_period_end":1766578400,"current_period_start":1763900000,"customer":"cus_R4nd0mCustomer42",\
            "days_until_due":null,"default_payment_method":"pm_1QbXyZ2eZvKYlo2CcardVisa","description":null,\
            "discount":null,"ended_at":null,"items":{"object":"list","data":[{"id":"si_R4nd0mItem0001",\
            "object":"subscription_item","created":1761308000,"metadata":{},"price":{"id":"price_1QbXyZTeamMonthly",\
            "object":"price","active":true,"billing_scheme":"per_unit","currency":"eur","livemode":false,\
            "lookup_key":"team_monthly","metadata":{},"nickname":"Team monthly","product":"prod_R4nd0mTeamPlan",\
            "recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"},"type":"recurring",\
            "unit_amount":4900,"unit_amount_decimal":"4900"},"quantity":5,"subscription":"sub_1QbXyZ2eZvKYlo2C0a1b2c3d"}],\
            "has_more":false,"total_count":1,"url":"/v1/subscription_items?subscription=sub_1QbXyZ2eZvKYlo2C0a1b2c3d"},\
            "latest_invoice":"in_1QbXyZ2eZvKYlo2CinvoiceA","livemode":false,\
            "metadata":{"tenant_id":"tenant-7f3c9a","plan":"team","note":"%s"},\
            "pending_setup_intent":null,"pending_update":null,"schedule":null,"start_date":1761308000,\
            "status":"past_due","trial_end":null,"trial_start":null},\
            "previous_attributes":{"status":"active"}},"livemode":false,"pending_webhooks":1,\
            "request":{"id":"req_R4nd0mRequest01","idempotency_key":"b6f0c1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d"},\
            "type":"customer.subscription.updated"}""";

    /** The template around its two {@code %s}: before the id, between id and padding, after the padding. */
    private static final String[] PARTS = TEMPLATE.split("%s", -1);

    /** UTF-8 bytes of the template without its two {@code %s}. */
    private static final int FIXED_BYTES = (PARTS[0] + PARTS[1] + PARTS[2]).getBytes(StandardCharsets.UTF_8).length;

    /** One {@code Mac} per thread (the harness signs on every benchmark thread), re-keyed when the secret changes. */
    private static final ThreadLocal<SignerMac> MACS = new ThreadLocal<>();

    private record SignerMac(String secret, Mac mac) {
    }

    private StripeEventFixture() {
    }

    /**
     * The event with the given id, padded (in {@code metadata.note}) to exactly {@value #PAYLOAD_BYTES}
     * bytes.
     *
     * @param eventId the event id, such as {@code evt_1QbXyZ…}; ASCII, at most 200 characters
     * @return the JSON payload
     * @throws IllegalArgumentException if the id is too long or not plain ASCII
     */
    public static String subscriptionUpdated(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.length() > 200 || !eventId.chars().allMatch(c -> c > 32 && c < 127 && c != '"' && c != '\\')) {
            throw new IllegalArgumentException("eventId must be 1 to 200 printable ASCII characters without quotes, "
                    + "but was " + eventId.length() + " characters");
        }
        int padding = PAYLOAD_BYTES - FIXED_BYTES - eventId.length(); // the id is ASCII: one byte a character
        return new StringBuilder(PAYLOAD_BYTES).append(PARTS[0]).append(eventId).append(PARTS[1])
                .append("x".repeat(padding)).append(PARTS[2]).toString();
    }

    /**
     * The {@code Stripe-Signature} header Stripe would send for this payload: {@code t=<ts>,v1=<hex>}.
     *
     * @param payload the exact body
     * @param timestampSeconds the signing time, epoch seconds
     * @param secret the endpoint secret
     * @return the header value
     */
    public static String signatureHeader(String payload, long timestampSeconds, String secret) {
        return "t=" + timestampSeconds + ",v1=" + hmacSha256Hex(secret, timestampSeconds + "." + payload);
    }

    /**
     * HMAC-SHA256 of a UTF-8 string, hex encoded.
     *
     * @param secret the key (UTF-8)
     * @param message what to sign
     * @return 64 lower-case hex digits
     */
    public static String hmacSha256Hex(String secret, String message) {
        SignerMac signer = MACS.get();
        if (signer == null || !signer.secret().equals(secret)) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                signer = new SignerMac(secret, mac);
                MACS.set(signer);
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
            }
        }
        return HexFormat.of().formatHex(signer.mac().doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }
}
