package dev.tollgate.testkit;

import dev.tollgate.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * "Signs" like RevenueCat, which does not sign its webhooks: it sends the {@code Authorization} header value
 * configured in its dashboard. This signer sends {@code Authorization: Bearer <value>} (the value as given when
 * it already starts with {@code Bearer }).
 *
 * <pre>{@code
 * SignedDelivery delivery = RevenueCatSigner.of(Secret.of("rc_webhook_token"))
 *         .sign(RevenueCatEventFixture.renewal().appUserId("tenant-1").build());
 * }</pre>
 */
public final class RevenueCatSigner implements WebhookSigner {

    /** The provider name, {@value}. */
    public static final String PROVIDER = "revenuecat";

    private final Secret authorization;

    private RevenueCatSigner(Secret authorization) {
        this.authorization = authorization;
    }

    /**
     * Creates a signer.
     *
     * @param authorization the value configured in the RevenueCat dashboard (with or without {@code Bearer })
     * @return the signer
     */
    public static RevenueCatSigner of(Secret authorization) {
        return new RevenueCatSigner(Objects.requireNonNull(authorization, "authorization"));
    }

    /** @return {@value #PROVIDER} */
    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public SignedDelivery sign(EventPayload event) {
        Objects.requireNonNull(event, "event");
        String value = authorization.reveal().strip();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", value.regionMatches(true, 0, "Bearer ", 0, 7) ? value : "Bearer " + value);
        return new SignedDelivery(PROVIDER, event.id(), event.type(), headers, event.body());
    }

    /** Shows the masked value only. */
    @Override
    public String toString() {
        return "RevenueCatSigner[authorization=" + authorization + "]";
    }
}
