package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.ApplyResult.Outcome;
import dev.tollgate.billing.internal.StripeEventMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Payloads in the shapes the providers publish (test-fixtures/provider-samples, on the test classpath) parse and
 * map.
 */
class ProviderSamplesTest {

    private static final Map<String, BillingStatus> REVENUECAT_STATUS = Map.ofEntries(
            Map.entry("revenuecat_INITIAL_PURCHASE.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_INITIAL_PURCHASE_fields_reference.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_INITIAL_PURCHASE_trial.json", BillingStatus.TRIALING),
            Map.entry("revenuecat_RENEWAL.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_UNCANCELLATION.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_NON_RENEWING_PURCHASE.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_PRODUCT_CHANGE.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_SUBSCRIPTION_EXTENDED.json", BillingStatus.ACTIVE),
            Map.entry("revenuecat_CANCELLATION.json", BillingStatus.CANCELED),
            Map.entry("revenuecat_CANCELLATION_refund.json", BillingStatus.CANCELED),
            Map.entry("revenuecat_CANCELLATION_trial.json", BillingStatus.CANCELED),
            Map.entry("revenuecat_BILLING_ISSUE.json", BillingStatus.PAST_DUE),
            Map.entry("revenuecat_EXPIRATION.json", BillingStatus.CANCELED),
            Map.entry("revenuecat_SUBSCRIPTION_PAUSED.json", BillingStatus.PAUSED));

    private final BillingEventApplier applier = BillingEventApplier.ofDefaults();

    private static Path samples() {
        try {
            return Path.of(ProviderSamplesTest.class.getResource("/provider-samples").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> files(Path dir, String prefix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void revenueCatSamplesParseAndMap() throws IOException {
        List<Path> files = files(samples(), "revenuecat_");
        assertTrue(files.size() >= 15, "expected the RevenueCat samples, found " + files);
        for (Path file : files) {
            String name = file.getFileName().toString();
            ProviderEvent event = ProviderEvent.parse(BillingProvider.REVENUECAT, Files.readString(file));
            InMemoryBillingRepository repo = new InMemoryBillingRepository(Clock.systemUTC());
            ApplyResult result = applier.apply(repo, event);
            if (name.equals("revenuecat_TRANSFER.json")) {
                assertEquals("TRANSFER", event.type());
                String sender = event.payload().at("/event/transferred_from/0").asText();
                assertEquals(BillingStatus.NONE, repo.find(sender).orElseThrow().status(), "the sender loses access");
                continue;
            }
            assertEquals(Outcome.APPLIED, result.outcome(), name);
            JsonNode body = event.payload().get("event");
            TenantBilling state = repo.find(body.get("app_user_id").asText()).orElseThrow();
            assertEquals(REVENUECAT_STATUS.get(name), state.status(), name);
            assertEquals(Instant.ofEpochMilli(body.get("event_timestamp_ms").asLong()), state.sourceEventCreated(), name);
            if (body.hasNonNull("expiration_at_ms")) {
                assertEquals(Instant.ofEpochMilli(body.get("expiration_at_ms").asLong()), state.currentPeriodEnd(), name);
            }
        }
    }

    @Test
    void stripeObjectSamplesMapInBothApiShapes() throws IOException {
        Path dir = samples();
        for (String file : List.of("stripe_subscription.json", "stripe_subscription_legacy_2025-02.json")) {
            JsonNode subscription = Fixtures.JSON.readTree(Files.readString(dir.resolve(file)));
            InMemoryBillingRepository repo = new InMemoryBillingRepository(Clock.systemUTC());
            String customer = subscription.get("customer").asText();
            ProviderEvent early = Fixtures.stripe("evt_sample_sub", "customer.subscription.updated",
                    Instant.parse("2026-11-01T00:00:00Z"), subscription);
            assertEquals(Outcome.UNRESOLVED, applier.apply(repo, early).outcome(), "no tenant_id metadata, no mapping");
            ApplyResult mapped = applier.apply(repo, Fixtures.stripe("evt_sample_checkout", "checkout.session.completed",
                    Instant.parse("2026-10-31T00:00:00Z"), Fixtures.checkoutSession(customer, "sample-tenant", null)));
            assertEquals(Outcome.CUSTOMER_MAPPED, mapped.outcome());
            TenantBilling state = repo.find("sample-tenant").orElseThrow();
            assertEquals(BillingStatus.ACTIVE, state.status(), file);
            assertEquals(subscription.at("/items/data/0/price/id").asText(), state.planId(), file);
            assertNotNull(state.currentPeriodEnd(), file + ": period end from items (current) or top level (legacy)");

            JsonNode invoice = Fixtures.JSON.readTree(Files.readString(dir.resolve("stripe_invoice.json")));
            ApplyResult paid = applier.apply(repo, Fixtures.stripe("evt_sample_inv", "invoice.paid",
                    Instant.parse("2026-11-02T00:00:00Z"), invoice));
            assertEquals(Outcome.APPLIED, paid.outcome(), "current-shape invoice resolves through parent + customer");
        }
        JsonNode legacyInvoice = Fixtures.JSON.readTree(Files.readString(dir.resolve("stripe_invoice_legacy_2025-02.json")));
        assertEquals(Outcome.IGNORED, applier.apply(new InMemoryBillingRepository(Clock.systemUTC()),
                Fixtures.stripe("evt_li", "invoice.payment_failed", Instant.EPOCH, legacyInvoice)).outcome(),
                "an invoice with no subscription does not touch billing state");
        JsonNode session = Fixtures.JSON.readTree(Files.readString(dir.resolve("stripe_checkout_session.json")));
        assertEquals(Outcome.IGNORED, applier.apply(new InMemoryBillingRepository(Clock.systemUTC()),
                Fixtures.stripe("evt_cs", "checkout.session.completed", Instant.EPOCH, session)).outcome(),
                "a guest one-time checkout has no customer to map");
        ProviderEvent plan = ProviderEvent.parse(BillingProvider.STRIPE, Files.readString(dir.resolve("stripe_event.json")));
        assertEquals(Outcome.IGNORED, applier.apply(new InMemoryBillingRepository(Clock.systemUTC()), plan).outcome());
    }

    @Test
    void stripeCliTriggersNameHandledEventTypes() throws IOException {
        List<Path> triggers = files(samples(), "stripe_cli_trigger_");
        assertEquals(6, triggers.size(), triggers.toString());
        for (Path trigger : triggers) {
            String type = trigger.getFileName().toString().replace("stripe_cli_trigger_", "").replace(".json", "");
            assertTrue(StripeEventMapper.HANDLED_TYPES.contains(type), type);
            JsonNode fixture = Fixtures.JSON.readTree(Files.readString(trigger));
            assertTrue(fixture.get("fixtures").isArray() && fixture.get("fixtures").size() > 0, type);
        }
    }

    @Test
    void malformedCopiesOfTheSamplesFailClearly() throws IOException {
        Path dir = samples();
        ObjectNode subscription = (ObjectNode) Fixtures.JSON.readTree(Files.readString(dir.resolve("stripe_subscription.json")));
        subscription.put("status", 42);
        BillingException e = org.junit.jupiter.api.Assertions.assertThrows(BillingException.class, () -> applier.apply(
                new InMemoryBillingRepository(Clock.systemUTC()),
                Fixtures.stripe("evt_bad", "customer.subscription.updated", Instant.EPOCH, subscription)));
        assertEquals("malformed provider object: Stripe subscription has a non-string 'status'", e.getMessage());
    }
}
