package dev.tollgate.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Our own provider payloads, shaped like the real ones (current and pre-2025 Stripe API shapes). */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static ObjectNode subscription(String id, String customer, String status, @Nullable String tenant,
                                   Instant periodEnd, String price) {
        ObjectNode sub = JSON.createObjectNode();
        sub.put("id", id);
        sub.put("object", "subscription");
        sub.put("customer", customer);
        sub.put("status", status);
        sub.put("created", 1_700_000_000L);
        ObjectNode metadata = sub.putObject("metadata");
        if (tenant != null) {
            metadata.put("tenant_id", tenant);
        }
        ObjectNode items = sub.putObject("items");
        items.put("object", "list");
        ArrayNode data = items.putArray("data");
        ObjectNode item = data.addObject();
        item.put("id", "si_" + id);
        item.put("current_period_end", periodEnd.getEpochSecond());
        ObjectNode priceNode = item.putObject("price");
        priceNode.put("id", price);
        priceNode.put("product", "prod_" + price);
        return sub;
    }

    static ObjectNode invoice(String id, String customer, String subscription, @Nullable String tenant,
                              String billingReason, boolean legacyShape) {
        ObjectNode invoice = JSON.createObjectNode();
        invoice.put("id", id);
        invoice.put("object", "invoice");
        invoice.put("customer", customer);
        invoice.put("billing_reason", billingReason);
        if (legacyShape) {
            invoice.put("subscription", subscription);
            ObjectNode details = invoice.putObject("subscription_details");
            ObjectNode metadata = details.putObject("metadata");
            if (tenant != null) {
                metadata.put("tenant_id", tenant);
            }
        } else {
            ObjectNode parent = invoice.putObject("parent");
            parent.put("type", "subscription_details");
            ObjectNode details = parent.putObject("subscription_details");
            details.put("subscription", subscription);
            ObjectNode metadata = details.putObject("metadata");
            if (tenant != null) {
                metadata.put("tenant_id", tenant);
            }
        }
        return invoice;
    }

    static ObjectNode checkoutSession(String customer, @Nullable String clientReference, @Nullable String metadataTenant) {
        ObjectNode session = JSON.createObjectNode();
        session.put("id", "cs_test_" + customer);
        session.put("object", "checkout.session");
        session.put("mode", "subscription");
        session.put("customer", customer);
        if (clientReference != null) {
            session.put("client_reference_id", clientReference);
        } else {
            session.putNull("client_reference_id");
        }
        ObjectNode metadata = session.putObject("metadata");
        if (metadataTenant != null) {
            metadata.put("tenant_id", metadataTenant);
        }
        return session;
    }

    static ProviderEvent stripe(String id, String type, Instant created, JsonNode object) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("type", type);
        event.put("created", created.getEpochSecond());
        event.put("api_version", "2025-03-31.basil");
        event.putObject("data").set("object", object);
        return ProviderEvent.of(BillingProvider.STRIPE, event);
    }

    static ObjectNode revenueCatBody(String id, String type, Instant at, @Nullable String appUserId,
                                     @Nullable Instant expiration, List<String> entitlements) {
        ObjectNode body = JSON.createObjectNode();
        body.put("api_version", "1.0");
        ObjectNode event = body.putObject("event");
        event.put("id", id);
        event.put("type", type);
        event.put("event_timestamp_ms", at.toEpochMilli());
        if (appUserId != null) {
            event.put("app_user_id", appUserId);
        }
        event.put("product_id", "com.example.pro.monthly");
        event.put("period_type", "NORMAL");
        event.put("original_transaction_id", "txn_" + appUserId);
        if (expiration != null) {
            event.put("expiration_at_ms", expiration.toEpochMilli());
        }
        ArrayNode ids = event.putArray("entitlement_ids");
        entitlements.forEach(ids::add);
        event.put("store", "APP_STORE");
        return body;
    }

    static ProviderEvent revenueCat(String id, String type, Instant at, @Nullable String appUserId,
                                    @Nullable Instant expiration, List<String> entitlements) {
        return ProviderEvent.of(BillingProvider.REVENUECAT,
                revenueCatBody(id, type, at, appUserId, expiration, entitlements));
    }
}
