package dev.tollgate.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The gate's answer for one tenant and operation class. Decisions are immutable and precomputed: the
 * gate hands out the same instance for every cached check, so a check allocates nothing.
 *
 * <p>{@link #allowed()} says whether to let the operation run. A denial carries the HTTP status
 * ({@code 402}, or {@code 503} for the purchases kill switch), the error code and message, and the
 * exact JSON body ({@link #jsonBody()}). In {@linkplain EnforcementMode#REPORT_ONLY report-only} mode a
 * denial comes back allowed, with {@link #wouldDeny()} true.
 */
public final class BillingDecision {

    /** Why the gate decided as it did. */
    public enum Reason {
        /** The status allows the operation. */
        STATUS_ALLOWS,
        /** Allowed during a grace period (policy grace, ladder, or the provider's grace). */
        GRACE_PERIOD,
        /** Allowed because a canceled (or paused) subscription's paid period has not ended. */
        PAID_PERIOD,
        /** Denied: the status does not allow the operation. */
        STATUS_DENIES,
        /** Would be denied, but enforcement is report-only. */
        REPORT_ONLY,
        /** Enforcement is off: allowed without looking at billing state. */
        ENFORCEMENT_OFF,
        /** Denied: purchases are switched off by the kill switch. */
        PURCHASES_DISABLED,
        /**
         * The billing state could not be read and no cached state was there: allowed ({@link FailMode#OPEN}), or
         * refused with 503 ({@link FailMode#CLOSED}).
         */
        STATE_UNAVAILABLE,
        /**
         * Refused with 400 before any lookup: the tenant id is longer than {@link BillingGate#MAX_TENANT_ID_LENGTH}
         * characters or holds control characters (a client inventing ids, not a tenant).
         */
        TENANT_INVALID
    }

    /** The error code of a billing denial. */
    public static final String SUBSCRIPTION_REQUIRED = "subscription_required";
    /** The error code of a purchase refused by the kill switch. */
    public static final String PURCHASES_DISABLED = "purchases_disabled";
    /** The message of a purchase refused by the kill switch. */
    public static final String PURCHASES_DISABLED_MESSAGE = "Purchases temporarily unavailable";
    /** The error code of a tenant id refused before any lookup. */
    public static final String TENANT_INVALID = "tenant_invalid";
    /** The message of a tenant id refused before any lookup. */
    public static final String TENANT_INVALID_MESSAGE = "The tenant id is not valid: at most 255 characters, no control"
            + " characters.";
    /** The error code of an operation refused because the billing state could not be read ({@link FailMode#CLOSED}). */
    public static final String BILLING_UNAVAILABLE = "billing_unavailable";
    /** The message of an operation refused because the billing state could not be read. */
    public static final String BILLING_UNAVAILABLE_MESSAGE = "Billing status temporarily unavailable. Please retry.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean allowed;
    private final boolean wouldDeny;
    private final int httpStatus;
    private final @Nullable BillingStatus status;
    private final OperationClass operation;
    private final Reason reason;
    private final @Nullable String error;
    private final String message;
    private final @Nullable String jsonBody;
    private final @Nullable BillingDecision reportOnly;

    private BillingDecision(boolean allowed, boolean wouldDeny, int httpStatus, @Nullable BillingStatus status,
                            OperationClass operation, Reason reason, @Nullable String error, String message,
                            @Nullable BillingDecision reportOnly) {
        this.allowed = allowed;
        this.wouldDeny = wouldDeny;
        this.httpStatus = httpStatus;
        this.status = status;
        this.operation = operation;
        this.reason = reason;
        this.error = error;
        this.message = message;
        this.jsonBody = error == null ? null : body(error, message, status);
        this.reportOnly = reportOnly;
    }

    static BillingDecision allow(@Nullable BillingStatus status, OperationClass operation, Reason reason) {
        return new BillingDecision(true, false, 200, status, operation, reason, null, "", null);
    }

    static BillingDecision deny(BillingStatus status, OperationClass operation, String message) {
        BillingDecision reported = new BillingDecision(true, true, 200, status, operation, Reason.REPORT_ONLY,
                SUBSCRIPTION_REQUIRED, message, null);
        return new BillingDecision(false, true, 402, status, operation, Reason.STATUS_DENIES, SUBSCRIPTION_REQUIRED,
                message, reported);
    }

    static BillingDecision tenantInvalid(OperationClass operation) {
        return new BillingDecision(false, true, 400, null, operation, Reason.TENANT_INVALID, TENANT_INVALID,
                TENANT_INVALID_MESSAGE, null);
    }

    static BillingDecision unavailableRefused(OperationClass operation) {
        BillingDecision reported = new BillingDecision(true, true, 200, null, operation, Reason.STATE_UNAVAILABLE,
                BILLING_UNAVAILABLE, BILLING_UNAVAILABLE_MESSAGE, null);
        return new BillingDecision(false, true, 503, null, operation, Reason.STATE_UNAVAILABLE, BILLING_UNAVAILABLE,
                BILLING_UNAVAILABLE_MESSAGE, reported);
    }

    static BillingDecision purchasesDisabled() {
        return new BillingDecision(false, true, 503, null, OperationClass.PURCHASE, Reason.PURCHASES_DISABLED,
                PURCHASES_DISABLED, PURCHASES_DISABLED_MESSAGE, null);
    }

    /** The same denial as report-only would hand it out (allowed, {@link #wouldDeny()} true). */
    BillingDecision asReportOnly() {
        return reportOnly == null ? this : reportOnly;
    }

    private static String body(String error, String message, @Nullable BillingStatus status) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", error);
        node.put("message", message);
        if (status != null) {
            node.put("billing_status", status.wireName());
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether to let the operation run.
     *
     * @return true when allowed (also for a denial in report-only mode)
     */
    public boolean allowed() {
        return allowed;
    }

    /**
     * Whether the policy denies the operation, even if report-only mode allowed it.
     *
     * @return true for a denial, enforced or reported
     */
    public boolean wouldDeny() {
        return wouldDeny;
    }

    /**
     * The HTTP status to answer with: 200 when allowed, 402 for a billing denial, 503 for the kill switch and for
     * an unreadable billing state under {@link FailMode#CLOSED}, 400 for an invalid tenant id.
     *
     * @return the status code
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The tenant's billing status the decision was made on.
     *
     * @return the status, {@code null} when the decision did not look at it (enforcement off, kill switch)
     */
    public @Nullable BillingStatus billingStatus() {
        return status;
    }

    /**
     * The operation class decided on.
     *
     * @return the operation class
     */
    public OperationClass operation() {
        return operation;
    }

    /**
     * Why.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The error code of a denial: {@code subscription_required} or {@code purchases_disabled}.
     *
     * @return the code, {@code null} when nothing would be denied
     */
    public @Nullable String error() {
        return error;
    }

    /**
     * The user-facing message of a denial, per status, such as "Payment overdue. Please update your
     * payment method.".
     *
     * @return the message, empty when nothing would be denied
     */
    public String message() {
        return message;
    }

    /**
     * The exact JSON body of the denial response, such as
     * {@code {"error":"subscription_required","message":"Payment overdue. Please update your payment method.","billing_status":"past_due"}}.
     *
     * @return the body, {@code null} when nothing would be denied
     */
    public @Nullable String jsonBody() {
        return jsonBody;
    }

    @Override
    public String toString() {
        return "BillingDecision[" + (allowed ? "allow" : "deny") + " " + operation + ", status "
                + (status == null ? "-" : status.wireName()) + ", " + reason + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BillingDecision that && allowed == that.allowed && wouldDeny == that.wouldDeny
                && httpStatus == that.httpStatus && status == that.status && operation == that.operation
                && reason == that.reason && message.equals(that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, wouldDeny, httpStatus, status, operation, reason, message);
    }
}
