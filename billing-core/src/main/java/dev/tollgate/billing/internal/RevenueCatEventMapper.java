package dev.tollgate.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.ProviderEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Maps RevenueCat webhook events to {@link Intent}s. */
public final class RevenueCatEventMapper {

    /** The RevenueCat event types that change billing state ({@code TEST} is acknowledged without effect). */
    public static final Set<String> HANDLED_TYPES = Set.of(
            "INITIAL_PURCHASE", "RENEWAL", "UNCANCELLATION", "NON_RENEWING_PURCHASE", "PRODUCT_CHANGE",
            "CANCELLATION", "BILLING_ISSUE", "EXPIRATION", "SUBSCRIPTION_PAUSED", "SUBSCRIPTION_EXTENDED",
            "TRANSFER");

    private RevenueCatEventMapper() {
    }

    /**
     * Maps a RevenueCat event.
     *
     * @param event the event
     * @return what it asks for
     * @throws dev.tollgate.billing.BillingException if a required field is missing or malformed
     */
    public static Intent map(ProviderEvent event) {
        String type = event.type();
        if (type.equals("TEST")) {
            return new Intent.Ignore("RevenueCat TEST event: acknowledged, no effect");
        }
        if (!HANDLED_TYPES.contains(type)) {
            return new Intent.Ignore("RevenueCat event type " + type + " does not change billing state");
        }
        String what = "RevenueCat " + type + " event";
        JsonNode body = event.payload().get("event");
        if (type.equals("TRANSFER")) {
            return new Intent.Transfer(strings(body, "transferred_from", what), strings(body, "transferred_to", what));
        }
        String appUserId = Json.text(body, "app_user_id", what);
        if (appUserId == null) {
            throw Json.malformed(what + " has no 'app_user_id'");
        }
        String product = Json.text(body, "product_id", what);
        Instant expiration = Json.epochMillis(body, "expiration_at_ms", what);
        Instant grace = Json.epochMillis(body, "grace_period_expiration_at_ms", what);
        boolean trial = "TRIAL".equals(Json.text(body, "period_type", what));
        String subscription = Json.text(body, "original_transaction_id", what);
        List<String> entitlements = strings(body, "entitlement_ids", what);
        if (entitlements.isEmpty()) {
            String single = Json.text(body, "entitlement_id", what);
            if (single != null) {
                entitlements = List.of(single);
            }
        }
        BillingStatus status;
        Instant graceUntil = null;
        switch (type) {
            case "INITIAL_PURCHASE":
            case "RENEWAL":
                status = trial ? BillingStatus.TRIALING : BillingStatus.ACTIVE;
                break;
            case "PRODUCT_CHANGE":
                String newProduct = Json.text(body, "new_product_id", what);
                if (newProduct != null) {
                    product = newProduct;
                }
                status = trial ? BillingStatus.TRIALING : BillingStatus.ACTIVE;
                break;
            case "CANCELLATION":
                // Auto-renew is off (or a refund): access lasts until expiration_at_ms.
                status = BillingStatus.CANCELED;
                break;
            case "BILLING_ISSUE":
                status = BillingStatus.PAST_DUE;
                graceUntil = grace;
                break;
            case "EXPIRATION":
                status = BillingStatus.CANCELED;
                break;
            case "SUBSCRIPTION_PAUSED":
                status = BillingStatus.PAUSED;
                break;
            default: // UNCANCELLATION, NON_RENEWING_PURCHASE, SUBSCRIPTION_EXTENDED
                status = trial ? BillingStatus.TRIALING : BillingStatus.ACTIVE;
                break;
        }
        return new Intent.SetState(null, null, appUserId, status, false, subscription, product, entitlements,
                expiration, graceUntil);
    }

    private static List<String> strings(JsonNode body, String field, String what) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw Json.malformed(what + " has a '" + field + "' that is not an array");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw Json.malformed(what + " has a non-string element in '" + field + "'");
            }
            result.add(element.asText());
        }
        return result;
    }
}
