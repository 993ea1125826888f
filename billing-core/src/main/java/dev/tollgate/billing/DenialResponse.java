package dev.tollgate.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP response for a denial: status, content type and body, ready for any framework.
 *
 * <pre>{@code
 * BillingDecision decision = gate.check(tenantId, OperationClass.WRITE);
 * if (!decision.allowed()) {
 *     DenialResponse response = DenialResponse.json(decision);
 *     exchange.getResponseHeaders().set("Content-Type", response.contentType());
 *     exchange.sendResponseHeaders(response.status(), -1); // then write response.body()
 * }
 * }</pre>
 *
 * @param status the HTTP status: 402, or 503 for the purchases kill switch
 * @param contentType {@code application/json} or {@code application/problem+json}
 * @param body the body
 */
public record DenialResponse(int status, String contentType, String body) {

    /** The RFC 9457 problem type of a billing denial. */
    public static final String SUBSCRIPTION_REQUIRED_TYPE = "https://tollgate.dev/problems/subscription-required";
    /** The RFC 9457 problem type of a purchase refused by the kill switch. */
    public static final String PURCHASES_DISABLED_TYPE = "https://tollgate.dev/problems/purchases-disabled";
    /** The RFC 9457 problem type of a tenant id refused before any lookup. */
    public static final String TENANT_INVALID_TYPE = "https://tollgate.dev/problems/tenant-invalid";
    /** The RFC 9457 problem type of an operation refused because the billing state could not be read. */
    public static final String BILLING_UNAVAILABLE_TYPE = "https://tollgate.dev/problems/billing-unavailable";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Validates the fields.
     *
     * @param status the HTTP status: 402, or 503 for the purchases kill switch
     * @param contentType {@code application/json} or {@code application/problem+json}
     * @param body the body
     */
    public DenialResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /**
     * The plain JSON response, exactly
     * {@code {"error":"subscription_required","message":"…","billing_status":"past_due"}}.
     *
     * @param decision a denial ({@link BillingDecision#wouldDeny()} true)
     * @return the response
     * @throws IllegalArgumentException for a decision that denies nothing
     */
    public static DenialResponse json(BillingDecision decision) {
        String body = requireDenial(decision).jsonBody();
        return new DenialResponse(status(decision), "application/json", Objects.requireNonNull(body));
    }

    /**
     * The RFC 9457 {@code application/problem+json} response, with {@code error}, {@code message} and
     * {@code billing_status} as extension members.
     *
     * @param decision a denial
     * @param instance the problem instance (usually the request path), or {@code null}
     * @return the response
     * @throws IllegalArgumentException for a decision that denies nothing
     */
    public static DenialResponse problem(BillingDecision decision, @Nullable String instance) {
        requireDenial(decision);
        boolean purchases = decision.reason() == BillingDecision.Reason.PURCHASES_DISABLED;
        int status = status(decision);
        ObjectNode node = JSON.createObjectNode();
        boolean unavailable = decision.reason() == BillingDecision.Reason.STATE_UNAVAILABLE;
        boolean invalid = decision.reason() == BillingDecision.Reason.TENANT_INVALID;
        node.put("type", purchases ? PURCHASES_DISABLED_TYPE : unavailable ? BILLING_UNAVAILABLE_TYPE
                : invalid ? TENANT_INVALID_TYPE : SUBSCRIPTION_REQUIRED_TYPE);
        node.put("title", purchases ? "Purchases temporarily unavailable"
                : unavailable ? "Billing status temporarily unavailable"
                : invalid ? "Invalid tenant id" : "Subscription required");
        node.put("status", status);
        node.put("detail", decision.message());
        if (instance != null) {
            node.put("instance", instance);
        }
        node.put("error", decision.error());
        node.put("message", decision.message());
        BillingStatus billingStatus = decision.billingStatus();
        if (billingStatus != null) {
            node.put("billing_status", billingStatus.wireName());
        }
        try {
            return new DenialResponse(status, "application/problem+json", JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(BillingDecision decision) {
        return switch (decision.reason()) {
            case PURCHASES_DISABLED, STATE_UNAVAILABLE -> 503;
            case TENANT_INVALID -> 400;
            default -> 402;
        };
    }

    private static BillingDecision requireDenial(BillingDecision decision) {
        Objects.requireNonNull(decision, "decision");
        if (!decision.wouldDeny()) {
            throw new IllegalArgumentException("the decision allows the operation: there is no denial to write");
        }
        return decision;
    }
}
