package dev.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the fixtures' JSON shape with the providers' sample payloads (test-fixtures/provider-samples, written
 * after the providers' published objects): every field a fixture writes exists in the provider's own object, so
 * code written against the fixtures reads real deliveries the same way.
 */
class ProviderSampleShapeTest {

    @Test
    @DisplayName("Stripe subscription (current API): every field, item field and price field exists in Stripe's object")
    void stripeSubscription() {
        JsonNode sample = Fixtures.providerSample("stripe_subscription.json");
        JsonNode ours = Fixtures.json(StripeEventFixture.subscriptionUpdated().tenant("t").build()).at("/data/object");
        assertSubset("subscription", ours, sample);
        assertSubset("subscription item", ours.at("/items/data/0"), sample.at("/items/data/0"));
        assertSubset("price", ours.at("/items/data/0/price"), sample.at("/items/data/0/price"));
        assertTrue(sample.at("/items/data/0/current_period_end").isNumber());
        assertTrue(sample.at("/current_period_end").isMissingNode(), "current shape: period end is on the item");
    }

    @Test
    @DisplayName("Stripe subscription (pre-basil API): top-level current_period_end, as in Stripe's legacy object")
    void stripeLegacySubscription() {
        JsonNode sample = Fixtures.providerSample("stripe_subscription_legacy_2025-02.json");
        JsonNode ours = Fixtures.json(StripeEventFixture.subscriptionUpdated().apiVersion("2024-06-20").build())
                .at("/data/object");
        assertTrue(sample.get("current_period_end").isNumber());
        assertTrue(ours.get("current_period_end").isNumber());
        Set<String> missing = fieldNames(ours);
        missing.removeAll(fieldNames(sample));
        // Fields Stripe added between the legacy fixture and basil, which a legacy-version event may still carry.
        missing.removeAll(Set.of("billing_cycle_anchor_config", "invoice_settings"));
        assertEquals(Set.of(), missing, "fields the legacy subscription object does not have");
    }

    @ParameterizedTest
    @ValueSource(strings = {"invoice.paid", "invoice.payment_failed", "invoice.payment_action_required"})
    @DisplayName("Stripe invoice (current API): every field and line field exists in Stripe's object")
    void stripeInvoice(String type) {
        JsonNode sample = Fixtures.providerSample("stripe_invoice.json");
        JsonNode ours = Fixtures.json(StripeEventFixture.of(type).tenant("t").build()).at("/data/object");
        assertSubset("invoice", ours, sample);
        assertSubset("invoice line", ours.at("/lines/data/0"), sample.at("/lines/data/0"));
        assertSubset("invoice parent", ours.get("parent"), sample.get("parent"));
        assertSubset("invoice parent subscription_details", ours.at("/parent/subscription_details"),
                sample.at("/parent/subscription_details"));
    }

    @Test
    @DisplayName("Stripe invoice (pre-basil API): top-level subscription and subscription_details, as in the legacy object")
    void stripeLegacyInvoice() {
        JsonNode sample = Fixtures.providerSample("stripe_invoice_legacy_2025-02.json");
        JsonNode ours = Fixtures.json(StripeEventFixture.invoicePaid().apiVersion("2024-06-20").build())
                .at("/data/object");
        for (String field : new String[] {"subscription", "subscription_details", "paid", "payment_intent"}) {
            assertTrue(sample.has(field) && ours.has(field), field);
        }
        Set<String> missing = fieldNames(ours);
        missing.removeAll(fieldNames(sample));
        assertEquals(Set.of(), missing, "fields the legacy invoice object does not have");
    }

    @Test
    @DisplayName("Stripe checkout session and event envelope: every field exists in Stripe's objects")
    void stripeCheckoutAndEnvelope() {
        JsonNode event = Fixtures.json(StripeEventFixture.checkoutSessionCompleted().tenant("t").build());
        assertSubset("checkout session", event.at("/data/object"), Fixtures.providerSample("stripe_checkout_session.json"));
        assertSubset("event", event, Fixtures.providerSample("stripe_event.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INITIAL_PURCHASE", "RENEWAL", "CANCELLATION", "UNCANCELLATION", "NON_RENEWING_PURCHASE",
            "SUBSCRIPTION_PAUSED", "BILLING_ISSUE", "PRODUCT_CHANGE", "EXPIRATION", "TRANSFER"})
    @DisplayName("RevenueCat: the same envelope, and every event field exists in RevenueCat's sample of that type")
    void revenueCat(String type) {
        JsonNode sample = Fixtures.providerSample("revenuecat_" + type + ".json");
        JsonNode ours = Fixtures.json(RevenueCatEventFixture.of(type).build());
        assertEquals(fieldNames(sample), fieldNames(ours), "envelope fields");
        assertEquals(sample.get("api_version"), ours.get("api_version"));
        Set<String> extra = fieldNames(ours.get("event"));
        extra.removeAll(fieldNames(sample.get("event")));
        // Newer fields that RevenueCat's older samples (CANCELLATION, BILLING_ISSUE, PRODUCT_CHANGE) predate.
        extra.removeAll(Set.of("app_id", "country_code", "is_family_share"));
        assertEquals(Set.of(), extra, "RevenueCat " + type + " event: fields RevenueCat's sample does not have");
        Set<String> notWritten = fieldNames(sample.get("event"));
        notWritten.removeAll(fieldNames(ours.get("event")));
        notWritten.removeAll(Set.of("experiments", "app_id", "is_family_share", "country_code"));
        assertEquals(Set.of(), notWritten, "sample fields the fixture does not write");
    }

    private static void assertSubset(String what, JsonNode ours, JsonNode sample) {
        assertTrue(ours.isObject() && sample.isObject(), what + " is an object in both");
        Set<String> extra = fieldNames(ours);
        extra.removeAll(fieldNames(sample));
        assertEquals(Set.of(), extra, what + ": fields the provider's object does not have");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
