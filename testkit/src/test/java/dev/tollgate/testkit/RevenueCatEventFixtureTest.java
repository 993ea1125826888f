package dev.tollgate.testkit;

import static dev.tollgate.testkit.Fixtures.NOW;
import static dev.tollgate.testkit.Fixtures.REVENUECAT_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.Secret;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RevenueCatEventFixtureTest {

    private final RevenueCatVerifier verifier = RevenueCatVerifier.builder().authorization(REVENUECAT_TOKEN).build();
    private final RevenueCatSigner signer = RevenueCatSigner.of(Secret.of(REVENUECAT_TOKEN));

    static List<String> eventTypes() {
        return RevenueCatEventFixture.EVENT_TYPES;
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    @DisplayName("every type: the bearer is accepted and the pipeline parses id, type and event_timestamp_ms")
    void acceptedAndParsed(String type) {
        List<WebhookEvent> seen = new CopyOnWriteArrayList<>();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier)
                .store(InMemoryIdempotencyStore.builder().build()).on("*", seen::add).build();
        EventPayload event = RevenueCatEventFixture.of(type).id("rc-" + type).eventTimestamp(NOW)
                .appUserId("tenant-42").build();
        SignedDelivery delivery = signer.sign(event);
        assertEquals("Bearer " + REVENUECAT_TOKEN, delivery.header("authorization").orElseThrow());
        WebhookResult result = pipeline.handle("revenuecat", delivery.toRequest());
        assertEquals(WebhookResult.processed("rc-" + type), result);
        WebhookEvent parsed = seen.get(0);
        assertEquals(type, parsed.type());
        assertEquals(NOW, parsed.created());
        JsonNode json = parsed.json();
        assertEquals("1.0", json.get("api_version").asText());
        if (!type.equals("TRANSFER")) {
            assertEquals("tenant-42", json.at("/event/app_user_id").asText());
            assertEquals("pro", json.at("/event/entitlement_ids/0").asText());
        }
    }

    @Test
    @DisplayName("entitlements, expiration and type-specific fields are under control")
    void fields() {
        JsonNode billing = Fixtures.json(RevenueCatEventFixture.billingIssue().entitlementIds("pro", "team")
                .purchasedAt(NOW).expiration(NOW.plus(Duration.ofDays(3)))
                .gracePeriodExpiration(NOW.plus(Duration.ofDays(16))).build()).get("event");
        assertEquals(2, billing.get("entitlement_ids").size());
        assertEquals("team", billing.get("entitlement_ids").get(1).asText());
        assertEquals(NOW.plus(Duration.ofDays(3)).toEpochMilli(), billing.get("expiration_at_ms").asLong());
        assertEquals(NOW.plus(Duration.ofDays(16)).toEpochMilli(), billing.get("grace_period_expiration_at_ms").asLong());

        assertEquals("BILLING_ERROR", Fixtures.json(RevenueCatEventFixture.cancellation().cancelReason("BILLING_ERROR")
                .build()).at("/event/cancel_reason").asText());
        assertEquals("UNSUBSCRIBE", Fixtures.json(RevenueCatEventFixture.expiration().build())
                .at("/event/expiration_reason").asText());
        assertEquals("tollgate_team_yearly", Fixtures.json(RevenueCatEventFixture.productChange()
                .newProductId("tollgate_team_yearly").build()).at("/event/new_product_id").asText());
        assertTrue(Fixtures.json(RevenueCatEventFixture.nonRenewingPurchase().build())
                .at("/event/expiration_at_ms").isNull(), "a non-renewing purchase does not expire by default");
        assertTrue(Fixtures.json(RevenueCatEventFixture.initialPurchase().expiration(null).build())
                .at("/event/expiration_at_ms").isNull());
        assertEquals(0, Fixtures.json(RevenueCatEventFixture.renewal().entitlementIds().build())
                .at("/event/entitlement_ids").size());

        JsonNode transfer = Fixtures.json(RevenueCatEventFixture.transfer()
                .transfer(List.of("anon-1"), List.of("tenant-9")).build()).get("event");
        assertFalse(transfer.has("app_user_id"), "RevenueCat sends no app_user_id with a TRANSFER");
        assertEquals("anon-1", transfer.at("/transferred_from/0").asText());
        assertEquals("tenant-9", transfer.at("/transferred_to/0").asText());
    }

    @Test
    @DisplayName("a wrong or missing bearer is refused with a 401 reason")
    void wrongBearer() {
        SignedDelivery delivery = RevenueCatSigner.of(Secret.of("not-the-token-000000"))
                .sign(RevenueCatEventFixture.renewal().build());
        assertEquals(SignatureException.Reason.AUTHORIZATION_MISMATCH,
                assertThrows(SignatureException.class, () -> verifier.verify(delivery.toRequest())).reason());
        assertEquals(SignatureException.Reason.MISSING_AUTHORIZATION, assertThrows(SignatureException.class,
                () -> verifier.verify(delivery.withoutHeader("Authorization").toRequest())).reason());
        SignedDelivery prefixed = RevenueCatSigner.of(Secret.of("Bearer " + REVENUECAT_TOKEN))
                .sign(RevenueCatEventFixture.renewal().build());
        assertEquals("Bearer " + REVENUECAT_TOKEN, prefixed.header("Authorization").orElseThrow());
        verifier.verify(prefixed.toRequest());
    }

    @Test
    @DisplayName("the builder reports every problem at once; an unknown type lists the supported ones")
    void builderReportsAllProblems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RevenueCatEventFixture.renewal()
                .id("").appUserId(" ").cancelReason("X").newProductId("p").entitlementIds("pro", "").build());
        for (String expected : List.of("id must not be blank", "appUserId must not be blank",
                "cancelReason applies to CANCELLATION only", "newProductId applies to PRODUCT_CHANGE only",
                "entitlement ids must not be blank")) {
            assertTrue(e.getMessage().contains(expected), () -> "missing '" + expected + "' in: " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RevenueCatEventFixture.of("REFUND"))
                .getMessage().contains("BILLING_ISSUE"));
    }
}
