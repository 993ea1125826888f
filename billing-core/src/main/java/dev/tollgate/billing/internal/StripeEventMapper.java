package dev.tollgate.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.ProviderEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps Stripe events to {@link Intent}s. Reads the raw JSON of {@code data.object}, so both the
 * current API shape (period on {@code items.data[]}, invoice subscription under {@code parent}) and the
 * pre-2025 shape (top-level {@code current_period_end}, {@code invoice.subscription}) work.
 */
public final class StripeEventMapper {

    /** The Stripe event types that change billing state. */
    public static final Set<String> HANDLED_TYPES = Set.of(
            "checkout.session.completed",
            "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
            "customer.subscription.paused", "customer.subscription.resumed",
            "invoice.paid", "invoice.payment_failed", "invoice.payment_action_required");

    /** The metadata key naming the tenant on subscriptions, checkout sessions and invoices. */
    public static final String TENANT_METADATA_KEY = "tenant_id";

    /** The metadata key listing a subscription's entitlements, comma-separated. */
    public static final String ENTITLEMENTS_METADATA_KEY = "entitlements";

    private StripeEventMapper() {
    }

    /**
     * Maps a Stripe event.
     *
     * @param event the event
     * @return what it asks for
     * @throws dev.tollgate.billing.BillingException if {@code data.object} is missing or malformed
     */
    public static Intent map(ProviderEvent event) {
        String type = event.type();
        if (!HANDLED_TYPES.contains(type)) {
            return new Intent.Ignore("Stripe event type " + type + " does not change billing state");
        }
        JsonNode data = Json.object(event.payload(), "data", "Stripe event " + event.id());
        JsonNode object = Json.object(data, "object", "Stripe event " + event.id() + " data");
        if (type.equals("checkout.session.completed")) {
            return checkoutCompleted(object);
        }
        if (type.startsWith("customer.subscription.")) {
            return subscription(object, type.equals("customer.subscription.deleted"));
        }
        return invoice(object, type);
    }

    /**
     * Maps a subscription object (from an event or from the API during reconciliation).
     *
     * @param subscription the subscription JSON
     * @param deleted whether it comes from {@code customer.subscription.deleted}
     * @return a full state intent
     */
    public static Intent subscription(JsonNode subscription, boolean deleted) {
        String what = "Stripe subscription";
        String status = Json.text(subscription, "status", what);
        BillingStatus billingStatus;
        if (status == null) {
            if (!deleted) {
                throw Json.malformed(what + " has no 'status'");
            }
            billingStatus = BillingStatus.CANCELED;
        } else {
            billingStatus = status(status, what);
        }
        String id = Json.text(subscription, "id", what);
        String customer = Json.idOf(subscription, "customer", what);
        String tenant = metadata(subscription, TENANT_METADATA_KEY, what);
        Instant periodEnd = Json.epochSeconds(subscription, "current_period_end", what);
        String plan = null;
        Set<String> products = new LinkedHashSet<>();
        JsonNode items = Json.optionalObject(subscription, "items", what);
        JsonNode itemList = items == null ? null : items.get("data");
        if (itemList != null && !itemList.isNull()) {
            if (!itemList.isArray()) {
                throw Json.malformed(what + " has 'items.data' that is not an array");
            }
            for (JsonNode item : itemList) {
                if (!item.isObject()) {
                    throw Json.malformed(what + " has an item that is not an object");
                }
                Instant itemEnd = Json.epochSeconds(item, "current_period_end", what + " item");
                if (itemEnd != null && (periodEnd == null || itemEnd.isAfter(periodEnd))) {
                    periodEnd = itemEnd;
                }
                JsonNode price = Json.optionalObject(item, "price", what + " item");
                if (price != null) {
                    if (plan == null) {
                        plan = Json.text(price, "id", what + " item price");
                    }
                    String product = Json.idOf(price, "product", what + " item price");
                    if (product != null) {
                        products.add(product);
                    }
                }
            }
        }
        if (plan == null) {
            JsonNode legacyPlan = Json.optionalObject(subscription, "plan", what);
            if (legacyPlan != null) {
                plan = Json.text(legacyPlan, "id", what + " plan");
            }
        }
        String listed = metadata(subscription, ENTITLEMENTS_METADATA_KEY, what);
        List<String> entitlements = new ArrayList<>();
        if (listed != null) {
            for (String part : listed.split(",")) {
                if (!part.isBlank()) {
                    entitlements.add(part.trim());
                }
            }
        } else {
            entitlements.addAll(products);
        }
        if (tenant == null && customer == null) {
            return new Intent.Unresolvable(null, "the subscription has neither metadata.tenant_id nor a customer");
        }
        return new Intent.SetState(tenant, customer, null, billingStatus, false, id, plan, entitlements, periodEnd,
                null);
    }

    private static Intent checkoutCompleted(JsonNode session) {
        String what = "Stripe checkout session";
        String customer = Json.idOf(session, "customer", what);
        String tenant = Json.text(session, "client_reference_id", what);
        if (tenant == null) {
            tenant = metadata(session, TENANT_METADATA_KEY, what);
        }
        if (customer == null) {
            return new Intent.Ignore("checkout session without a customer (a guest one-time payment)");
        }
        if (tenant == null) {
            return new Intent.Unresolvable(customer,
                    "checkout session has neither client_reference_id nor metadata.tenant_id");
        }
        return new Intent.MapCustomer(customer, tenant);
    }

    private static Intent invoice(JsonNode invoice, String type) {
        String what = "Stripe invoice";
        String customer = Json.idOf(invoice, "customer", what);
        String subscription = Json.idOf(invoice, "subscription", what);
        String tenant = null;
        JsonNode legacyDetails = Json.optionalObject(invoice, "subscription_details", what);
        if (legacyDetails != null) {
            tenant = metadata(legacyDetails, TENANT_METADATA_KEY, what + " subscription_details");
        }
        JsonNode parent = Json.optionalObject(invoice, "parent", what);
        if (parent != null) {
            JsonNode details = Json.optionalObject(parent, "subscription_details", what + " parent");
            if (details != null) {
                if (subscription == null) {
                    subscription = Json.idOf(details, "subscription", what + " parent.subscription_details");
                }
                if (tenant == null) {
                    tenant = metadata(details, TENANT_METADATA_KEY, what + " parent.subscription_details");
                }
            }
        }
        if (subscription == null) {
            return new Intent.Ignore("invoice is not for a subscription");
        }
        String reason = Json.text(invoice, "billing_reason", what);
        BillingStatus status;
        switch (type) {
            case "invoice.paid":
                if ("subscription_create".equals(reason)) {
                    // The first invoice (also the $0 one of a trial): customer.subscription.* says the status.
                    return new Intent.Ignore("first invoice of a subscription: its status comes from the"
                            + " customer.subscription events");
                }
                status = BillingStatus.ACTIVE;
                break;
            case "invoice.payment_failed":
                status = "subscription_create".equals(reason) ? BillingStatus.INCOMPLETE : BillingStatus.PAST_DUE;
                break;
            default: // invoice.payment_action_required
                status = "subscription_create".equals(reason) ? BillingStatus.INCOMPLETE : BillingStatus.PAST_DUE;
                break;
        }
        if (tenant == null && customer == null) {
            return new Intent.Unresolvable(null, "the invoice has neither subscription metadata.tenant_id nor a customer");
        }
        return new Intent.SetState(tenant, customer, null, status, true, subscription, null, List.of(), null, null);
    }

    private static @Nullable String metadata(JsonNode object, String key, String what) {
        JsonNode metadata = Json.optionalObject(object, "metadata", what);
        return metadata == null ? null : Json.text(metadata, key, what + " metadata");
    }

    static BillingStatus status(String status, String what) {
        try {
            return BillingStatus.fromWireName(status);
        } catch (IllegalArgumentException e) {
            throw Json.malformed(what + " has an unknown status (" + status.length() + " characters)");
        }
    }
}
