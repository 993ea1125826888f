package dev.tollgate.billing;

import static dev.tollgate.billing.Fixtures.revenueCat;
import static dev.tollgate.billing.Fixtures.revenueCatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.billing.ApplyResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevenueCatEventApplierTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant EXPIRES = T0.plus(Duration.ofDays(30));

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryBillingRepository repo = new InMemoryBillingRepository(clock);
    private final BillingEventApplier applier = BillingEventApplier.builder()
            .revenueCatTenants(user -> user.startsWith("$RCAnonymousID") ? Optional.empty()
                    : Optional.of("tenant-" + user))
            .build();

    private BillingStatus statusAfter(String type, ObjectNode body) {
        body.with("event").put("type", type);
        applier.apply(repo, ProviderEvent.of(BillingProvider.REVENUECAT, body));
        return repo.find("tenant-u1").orElseThrow().status();
    }

    @Test
    void eachEventTypeMapsToItsStatus() {
        long[] at = {T0.toEpochMilli()};
        java.util.function.Supplier<ObjectNode> next = () -> revenueCatBody("e" + at[0], "X",
                Instant.ofEpochMilli(at[0] += 1000), "u1", EXPIRES, List.of("pro"));
        ObjectNode trial = next.get();
        trial.with("event").put("period_type", "TRIAL");
        assertEquals(BillingStatus.TRIALING, statusAfter("INITIAL_PURCHASE", trial));
        assertEquals(BillingStatus.ACTIVE, statusAfter("RENEWAL", next.get()));
        ObjectNode issue = next.get();
        issue.with("event").put("grace_period_expiration_at_ms", T0.plus(Duration.ofDays(3)).toEpochMilli());
        assertEquals(BillingStatus.PAST_DUE, statusAfter("BILLING_ISSUE", issue));
        assertEquals(T0.plus(Duration.ofDays(3)), repo.find("tenant-u1").orElseThrow().graceUntil());
        assertEquals(BillingStatus.ACTIVE, statusAfter("RENEWAL", next.get()));
        assertEquals(null, repo.find("tenant-u1").orElseThrow().graceUntil(), "a renewal ends the grace");
        assertEquals(BillingStatus.CANCELED, statusAfter("CANCELLATION", next.get()));
        assertEquals(EXPIRES, repo.find("tenant-u1").orElseThrow().currentPeriodEnd(), "access until expiration");
        assertEquals(BillingStatus.ACTIVE, statusAfter("UNCANCELLATION", next.get()));
        ObjectNode change = next.get();
        change.with("event").put("new_product_id", "com.example.pro.yearly");
        assertEquals(BillingStatus.ACTIVE, statusAfter("PRODUCT_CHANGE", change));
        assertEquals("com.example.pro.yearly", repo.find("tenant-u1").orElseThrow().planId());
        assertEquals(BillingStatus.PAUSED, statusAfter("SUBSCRIPTION_PAUSED", next.get()));
        assertEquals(BillingStatus.ACTIVE, statusAfter("NON_RENEWING_PURCHASE", next.get()));
        assertEquals(BillingStatus.CANCELED, statusAfter("EXPIRATION", next.get()));
        assertEquals(List.of("pro"), repo.find("tenant-u1").orElseThrow().entitlementIds());
        assertEquals(10, repo.auditLog("tenant-u1").size(), "one audit entry per applied event");
    }

    @Test
    void testEventsAndUnknownTypesAreAcknowledgedWithoutEffect() {
        for (String type : List.of("TEST", "SUBSCRIBER_ALIAS", "INVOICE_ISSUANCE", "TEMPORARY_ENTITLEMENT_GRANT")) {
            ApplyResult result = applier.apply(repo, revenueCat("t-" + type, type, T0, "u9", EXPIRES, List.of()));
            assertEquals(Outcome.IGNORED, result.outcome(), type);
        }
        assertTrue(repo.find("tenant-u9").isEmpty());
        assertTrue(repo.unresolvedEvents().isEmpty());
    }

    @Test
    void unmappedAppUserIsRecordedNotDropped() {
        ApplyResult result = applier.apply(repo, revenueCat("e1", "INITIAL_PURCHASE", T0,
                "$RCAnonymousID:abc", EXPIRES, List.of("pro")));
        assertEquals(Outcome.UNRESOLVED, result.outcome());
        UnresolvedEvent recorded = repo.unresolvedEvents().get(0);
        assertEquals("e1", recorded.eventId());
        assertEquals("INITIAL_PURCHASE", recorded.eventType());
        assertEquals(BillingProvider.REVENUECAT, recorded.provider());
    }

    @Test
    void transferMovesTheStateBetweenTenants() {
        applier.apply(repo, revenueCat("e1", "INITIAL_PURCHASE", T0, "from", EXPIRES, List.of("pro")));
        ObjectNode transfer = Fixtures.JSON.createObjectNode();
        ObjectNode event = transfer.putObject("event");
        event.put("id", "e2").put("type", "TRANSFER").put("event_timestamp_ms", T0.plusSeconds(5).toEpochMilli());
        event.putArray("transferred_from").add("from");
        event.putArray("transferred_to").add("to");
        ApplyResult result = applier.apply(repo, ProviderEvent.of(BillingProvider.REVENUECAT, transfer));
        assertEquals(Outcome.APPLIED, result.outcome());
        assertEquals(BillingStatus.ACTIVE, repo.find("tenant-to").orElseThrow().status());
        assertEquals(List.of("pro"), repo.find("tenant-to").orElseThrow().entitlementIds());
        assertEquals(BillingStatus.NONE, repo.find("tenant-from").orElseThrow().status());
    }

    @Test
    void malformedEventsFailWithoutChangingState() {
        applier.apply(repo, revenueCat("e1", "INITIAL_PURCHASE", T0, "u1", EXPIRES, List.of("pro")));
        ObjectNode noUser = revenueCatBody("e2", "RENEWAL", T0.plusSeconds(1), null, EXPIRES, List.of());
        ObjectNode badExpiry = revenueCatBody("e3", "CANCELLATION", T0.plusSeconds(2), "u1", EXPIRES, List.of());
        badExpiry.with("event").put("expiration_at_ms", "tomorrow");
        ObjectNode badEntitlements = revenueCatBody("e4", "CANCELLATION", T0.plusSeconds(3), "u1", EXPIRES, List.of());
        badEntitlements.with("event").put("entitlement_ids", "pro");
        for (ObjectNode body : List.of(noUser, badExpiry, badEntitlements)) {
            BillingException e = assertThrows(BillingException.class,
                    () -> applier.apply(repo, ProviderEvent.of(BillingProvider.REVENUECAT, body)));
            assertEquals(BillingException.Reason.MALFORMED_EVENT, e.reason());
            assertTrue(e.getMessage().contains("RevenueCat"), e.getMessage());
        }
        for (String body : List.of("{}", "{\"event\":{}}", "{\"event\":{\"id\":\"x\",\"type\":\"RENEWAL\"}}",
                "{\"event\":{\"id\":\"x\",\"type\":\"RENEWAL\",\"event_timestamp_ms\":-5}}")) {
            assertThrows(BillingException.class, () -> ProviderEvent.parse(BillingProvider.REVENUECAT, body));
        }
        assertEquals(BillingStatus.ACTIVE, repo.find("tenant-u1").orElseThrow().status());
        assertEquals(1, repo.auditLog("tenant-u1").size());
    }

    @Test
    void eventToStringHidesThePayload() {
        ProviderEvent event = revenueCat("e1", "INITIAL_PURCHASE", T0, "someone@example.com", EXPIRES, List.of());
        assertTrue(!event.toString().contains("someone@example.com"), event.toString());
    }
}
