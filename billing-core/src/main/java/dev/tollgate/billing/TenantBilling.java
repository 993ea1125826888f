package dev.tollgate.billing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's billing state, as the provider's events last described it.
 *
 * <p>Two pairs of fields make the state out-of-order safe: {@code sourceEvent*} name the newest event
 * that set the {@linkplain #status() status}, {@code detailsEvent*} the newest event that described
 * the subscription (plan, period end, entitlements). An event older than the pair it would change is
 * ignored.
 *
 * @param tenantId the tenant, an opaque id
 * @param status the billing status
 * @param provider the provider that set the state, {@code null} when none did (a new tenant, or SQL)
 * @param customerId the provider's customer id (Stripe {@code cus_…}, RevenueCat app user id)
 * @param subscriptionId the provider's subscription id, when known
 * @param planId the plan: Stripe price id or RevenueCat product id
 * @param entitlementIds the entitlements the subscription grants (such as {@code pro_access})
 * @param currentPeriodEnd when the paid (or trial) period ends; access of a canceled subscription
 *     lasts until then
 * @param graceUntil a grace period granted by the provider (RevenueCat billing-issue grace)
 * @param statusSince when the tenant entered the status (the provider time of the event, or the time
 *     of an operator's SQL update); time-based policy ladders count from here
 * @param sourceEventId the id of the event that last set the status
 * @param sourceEventCreated the provider time of that event
 * @param detailsEventId the id of the event that last set plan, period and entitlements
 * @param detailsEventCreated the provider time of that event
 */
public record TenantBilling(
        String tenantId,
        BillingStatus status,
        @Nullable BillingProvider provider,
        @Nullable String customerId,
        @Nullable String subscriptionId,
        @Nullable String planId,
        List<String> entitlementIds,
        @Nullable Instant currentPeriodEnd,
        @Nullable Instant graceUntil,
        Instant statusSince,
        @Nullable String sourceEventId,
        @Nullable Instant sourceEventCreated,
        @Nullable String detailsEventId,
        @Nullable Instant detailsEventCreated) {

    /**
     * Validates and copies the entitlement list.
     *
     * @param tenantId the tenant, an opaque id
     * @param status the billing status
     * @param provider the provider that set the state, {@code null} when none did (a new tenant, or SQL)
     * @param customerId the provider's customer id (Stripe {@code cus_…}, RevenueCat app user id)
     * @param subscriptionId the provider's subscription id, when known
     * @param planId the plan: Stripe price id or RevenueCat product id
     * @param entitlementIds the entitlements the subscription grants (such as {@code pro_access})
     * @param currentPeriodEnd when the paid (or trial) period ends; access of a canceled subscription
     *     lasts until then
     * @param graceUntil a grace period granted by the provider (RevenueCat billing-issue grace)
     * @param statusSince when the tenant entered the status (the provider time of the event, or the time
     *     of an operator's SQL update); time-based policy ladders count from here
     * @param sourceEventId the id of the event that last set the status
     * @param sourceEventCreated the provider time of that event
     * @param detailsEventId the id of the event that last set plan, period and entitlements
     * @param detailsEventCreated the provider time of that event
     */
    public TenantBilling {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(statusSince, "statusSince");
        entitlementIds = List.copyOf(Objects.requireNonNull(entitlementIds, "entitlementIds"));
    }

    /**
     * The state of a tenant no event has described: status {@link BillingStatus#NONE}.
     *
     * @param tenantId the tenant
     * @return the empty state, with {@code statusSince} at the epoch
     */
    public static TenantBilling none(String tenantId) {
        return new TenantBilling(tenantId, BillingStatus.NONE, null, null, null, null, List.of(), null, null,
                Instant.EPOCH, null, null, null, null);
    }

    /**
     * A state with a status set directly (by an operator or a test), with no provider event behind it.
     *
     * @param tenantId the tenant
     * @param status the status
     * @param since when the tenant entered the status
     * @return the state
     */
    public static TenantBilling of(String tenantId, BillingStatus status, Instant since) {
        return new TenantBilling(tenantId, status, null, null, null, null, List.of(), null, null, since, null,
                null, null, null);
    }

    /**
     * This state with another status, entered at {@code since}.
     *
     * @param newStatus the status
     * @param since when the tenant entered it
     * @return the new state
     */
    public TenantBilling withStatus(BillingStatus newStatus, Instant since) {
        return new TenantBilling(tenantId, newStatus, provider, customerId, subscriptionId, planId, entitlementIds,
                currentPeriodEnd, graceUntil, since, sourceEventId, sourceEventCreated, detailsEventId,
                detailsEventCreated);
    }

    /**
     * This state with another current period end.
     *
     * @param periodEnd the end of the paid period, or {@code null}
     * @return the new state
     */
    public TenantBilling withCurrentPeriodEnd(@Nullable Instant periodEnd) {
        return new TenantBilling(tenantId, status, provider, customerId, subscriptionId, planId, entitlementIds,
                periodEnd, graceUntil, statusSince, sourceEventId, sourceEventCreated, detailsEventId,
                detailsEventCreated);
    }

    /**
     * This state with another provider grace period.
     *
     * @param until the end of the grace period, or {@code null}
     * @return the new state
     */
    public TenantBilling withGraceUntil(@Nullable Instant until) {
        return new TenantBilling(tenantId, status, provider, customerId, subscriptionId, planId, entitlementIds,
                currentPeriodEnd, until, statusSince, sourceEventId, sourceEventCreated, detailsEventId,
                detailsEventCreated);
    }

    /**
     * This state with other entitlements.
     *
     * @param ids the entitlement ids
     * @return the new state
     */
    public TenantBilling withEntitlements(List<String> ids) {
        return new TenantBilling(tenantId, status, provider, customerId, subscriptionId, planId, ids,
                currentPeriodEnd, graceUntil, statusSince, sourceEventId, sourceEventCreated, detailsEventId,
                detailsEventCreated);
    }

    /** Shows the state without the customer id (a RevenueCat app user id may be personal data). */
    @Override
    public String toString() {
        return "TenantBilling[" + tenantId + " " + status.wireName() + ", provider "
                + (provider == null ? "-" : provider.wireName()) + ", plan " + planId + ", entitlements "
                + entitlementIds + ", period end " + currentPeriodEnd + ", grace until " + graceUntil + ", since "
                + statusSince + ", status event " + sourceEventId + ", details event " + detailsEventId + "]";
    }
}
