package dev.tollgate.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.billing.BillingStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Maps a RevenueCat {@code GET /v1/subscribers/{app_user_id}} response to a state intent: the
 * subscription that lasts longest decides the status.
 */
public final class RevenueCatSubscriberMapper {

    private RevenueCatSubscriberMapper() {
    }

    /**
     * Maps the response.
     *
     * @param body the response body
     * @param appUserId the app user id asked for
     * @param now the current time
     * @return the intent
     * @throws dev.tollgate.billing.BillingException if the body lacks {@code subscriber}
     */
    public static Intent.SetState map(JsonNode body, String appUserId, Instant now) {
        String what = "RevenueCat subscriber";
        JsonNode subscriber = Json.object(body, "subscriber", what);
        List<String> active = new ArrayList<>();
        boolean lifetime = false;
        JsonNode entitlements = Json.optionalObject(subscriber, "entitlements", what);
        if (entitlements != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entitlements.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isObject()) {
                    throw Json.malformed(what + " entitlement is not an object");
                }
                Instant expires = Json.isoInstant(entry.getValue(), "expires_date", what + " entitlement");
                Instant grace = Json.isoInstant(entry.getValue(), "grace_period_expires_date", what + " entitlement");
                if (expires == null) {
                    lifetime = true;
                }
                if (expires == null || expires.isAfter(now) || (grace != null && grace.isAfter(now))) {
                    active.add(entry.getKey());
                }
            }
        }
        JsonNode best = null;
        String bestProduct = null;
        Instant bestExpires = null;
        JsonNode subscriptions = Json.optionalObject(subscriber, "subscriptions", what);
        if (subscriptions != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = subscriptions.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isObject()) {
                    throw Json.malformed(what + " subscription is not an object");
                }
                Instant expires = Json.isoInstant(entry.getValue(), "expires_date", what + " subscription");
                Instant key = expires == null ? Instant.MAX : expires;
                if (best == null || key.isAfter(bestExpires)) {
                    best = entry.getValue();
                    bestProduct = entry.getKey();
                    bestExpires = key;
                }
            }
        }
        if (best == null) {
            BillingStatus status = lifetime || !active.isEmpty() ? BillingStatus.ACTIVE : BillingStatus.NONE;
            return new Intent.SetState(null, null, appUserId, status, false, null, null, active, null, null);
        }
        String sub = "RevenueCat subscription";
        Instant periodEnd = bestExpires.equals(Instant.MAX) ? null : bestExpires;
        Instant grace = Json.isoInstant(best, "grace_period_expires_date", sub);
        boolean billingIssue = Json.isoInstant(best, "billing_issues_detected_at", sub) != null;
        boolean unsubscribed = Json.isoInstant(best, "unsubscribe_detected_at", sub) != null;
        boolean trial = "trial".equalsIgnoreCase(Json.text(best, "period_type", sub));
        boolean current = periodEnd == null || periodEnd.isAfter(now);
        BillingStatus status;
        Instant graceUntil = null;
        if (billingIssue && (current || (grace != null && grace.isAfter(now)))) {
            status = BillingStatus.PAST_DUE;
            graceUntil = grace;
        } else if (!current || unsubscribed) {
            status = BillingStatus.CANCELED;
        } else {
            status = trial ? BillingStatus.TRIALING : BillingStatus.ACTIVE;
        }
        return new Intent.SetState(null, null, appUserId, status, false, Json.text(best, "original_transaction_id", sub),
                bestProduct, active, periodEnd, graceUntil);
    }
}
