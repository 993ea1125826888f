package dev.tollgate.testkit;

import static dev.tollgate.testkit.Fixtures.NOW;
import static dev.tollgate.testkit.Fixtures.STRIPE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import dev.tollgate.Secret;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StripeEventFixtureTest {

    private final MutableClock clock = MutableClock.at(NOW);
    private final StripeSigner signer = StripeSigner.of(Secret.of(STRIPE_SECRET), clock);
    private final StripeVerifier verifier = StripeVerifier.builder().secret(STRIPE_SECRET).clock(clock).build();

    static List<String> eventTypes() {
        return StripeEventFixture.EVENT_TYPES;
    }

    static List<String> statuses() {
        return StripeEventFixture.SUBSCRIPTION_STATUSES.stream().sorted().toList();
    }

    private EventPayload event(String type) {
        return StripeEventFixture.of(type).id("evt_" + type.replace('.', '_')).created(NOW.minusSeconds(5))
                .customer("cus_42").subscription("sub_42").invoice("in_42").checkoutSession("cs_test_42")
                .tenant("tenant-42").periodEnd(NOW.plus(Duration.ofDays(30))).build();
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    @DisplayName("every type: Tollgate's verifier and stripe-java's Webhook.constructEvent accept the signature")
    void verifiersAccept(String type) throws Exception {
        SignedDelivery delivery = signer.sign(event(type));
        verifier.verify(delivery.toRequest());
        String header = delivery.header("Stripe-Signature").orElseThrow();
        Event stripe = Webhook.constructEvent(delivery.bodyAsString(), header, STRIPE_SECRET, 300, clock);
        assertEquals("evt_" + type.replace('.', '_'), stripe.getId());
        assertEquals(type, stripe.getType());
        assertEquals(NOW.minusSeconds(5).getEpochSecond(), stripe.getCreated());
        assertEquals(StripeEventFixture.DEFAULT_API_VERSION, stripe.getApiVersion());
        assertTrue(stripe.getDataObjectDeserializer().getObject().isPresent(),
                "stripe-java reads the data object of an event of its own API version");
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    @DisplayName("every type: the pipeline parses id, type and created, and answers processed")
    void pipelineParses(String type) {
        List<WebhookEvent> seen = new CopyOnWriteArrayList<>();
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier)
                .store(InMemoryIdempotencyStore.builder().clock(clock).build())
                .on("*", seen::add).build();
        SignedDelivery delivery = signer.sign(event(type));
        WebhookResult result = pipeline.handle("stripe", delivery.toRequest());
        assertEquals(WebhookResult.processed(delivery.eventId()), result);
        assertEquals(1, seen.size());
        assertEquals(type, seen.get(0).type());
        assertEquals(delivery.eventId(), seen.get(0).id());
        assertEquals(NOW.minusSeconds(5), seen.get(0).created());
        assertEquals(delivery.eventId(), seen.get(0).stripeEvent().getId());
    }

    @ParameterizedTest
    @MethodSource("statuses")
    @DisplayName("each subscription status reaches stripe-java's typed Subscription, with customer, tenant and period end")
    void subscriptionStatuses(String status) throws Exception {
        Instant periodEnd = NOW.plus(Duration.ofDays(12));
        for (StripeEventFixture fixture : List.of(StripeEventFixture.subscriptionCreated(),
                StripeEventFixture.subscriptionUpdated().previousStatus("active"))) {
            EventPayload event = fixture.status(status).customer("cus_9").subscription("sub_9").tenant("t-9")
                    .periodEnd(periodEnd).created(NOW).build();
            Subscription sub = (Subscription) typed(signer.sign(event));
            assertEquals(status, sub.getStatus());
            assertEquals("sub_9", sub.getId());
            assertEquals("cus_9", sub.getCustomer());
            assertEquals("t-9", sub.getMetadata().get("tenant_id"));
            assertEquals(periodEnd.getEpochSecond(), sub.getItems().getData().get(0).getCurrentPeriodEnd());
        }
    }

    @Test
    @DisplayName("deleted is canceled with ended_at, paused is paused, resumed is active; updated carries previous_attributes")
    void typeDefaults() throws Exception {
        assertEquals("canceled", ((Subscription) typed(signer.sign(StripeEventFixture.subscriptionDeleted().build())))
                .getStatus());
        assertEquals("paused", ((Subscription) typed(signer.sign(StripeEventFixture.subscriptionPaused().build())))
                .getStatus());
        assertEquals("active", ((Subscription) typed(signer.sign(StripeEventFixture.subscriptionResumed().build())))
                .getStatus());
        JsonNode deleted = Fixtures.json(StripeEventFixture.subscriptionDeleted().created(NOW).build());
        assertEquals(NOW.getEpochSecond(), deleted.at("/data/object/ended_at").asLong());
        SignedDelivery updated = signer.sign(StripeEventFixture.subscriptionUpdated().status("past_due")
                .previousStatus("active").build());
        Event stripe = Webhook.constructEvent(updated.bodyAsString(), updated.header("Stripe-Signature").orElseThrow(),
                STRIPE_SECRET, 300, clock);
        assertEquals("active", stripe.getData().getPreviousAttributes().get("status"));
    }

    @Test
    @DisplayName("invoices name customer, subscription, tenant and the new period; paid, failed and action-required differ")
    void invoices() throws Exception {
        Instant periodEnd = NOW.plus(Duration.ofDays(30));
        Invoice paid = (Invoice) typed(signer.sign(StripeEventFixture.invoicePaid().invoice("in_1").customer("cus_1")
                .subscription("sub_1").tenant("t-1").periodEnd(periodEnd).build()));
        assertEquals("in_1", paid.getId());
        assertEquals("paid", paid.getStatus());
        assertEquals("cus_1", paid.getCustomer());
        assertEquals("sub_1", paid.getParent().getSubscriptionDetails().getSubscription());
        assertEquals("t-1", paid.getParent().getSubscriptionDetails().getMetadata().get("tenant_id"));
        assertEquals(periodEnd.getEpochSecond(), paid.getLines().getData().get(0).getPeriod().getEnd());
        assertEquals(1500L, paid.getAmountPaid());

        Invoice failed = (Invoice) typed(signer.sign(StripeEventFixture.invoicePaymentFailed().created(NOW).build()));
        assertEquals("open", failed.getStatus());
        assertEquals(0L, failed.getAmountPaid());
        assertEquals(NOW.plus(Duration.ofDays(3)).getEpochSecond(), failed.getNextPaymentAttempt());

        Invoice action = (Invoice) typed(signer.sign(StripeEventFixture.invoicePaymentActionRequired().build()));
        assertEquals("open", action.getStatus());
        assertNull(action.getNextPaymentAttempt());
    }

    @Test
    @DisplayName("checkout.session.completed carries client_reference_id, metadata and the subscription")
    void checkoutSession() throws Exception {
        Session session = (Session) typed(signer.sign(StripeEventFixture.checkoutSessionCompleted().tenant("t-7")
                .customer("cus_7").subscription("sub_7").metadata("plan", "pro").build()));
        assertEquals("t-7", session.getClientReferenceId());
        assertEquals("t-7", session.getMetadata().get("tenant_id"));
        assertEquals("pro", session.getMetadata().get("plan"));
        assertEquals("cus_7", session.getCustomer());
        assertEquals("sub_7", session.getSubscription());
        assertEquals("subscription", session.getMode());
        assertEquals("complete", session.getStatus());

        Session payment = (Session) typed(signer.sign(StripeEventFixture.checkoutSessionCompleted()
                .clientReferenceId("ref-1").checkoutMode("payment").tenantMetadataKey("account").tenant("a-1").build()));
        assertEquals("ref-1", payment.getClientReferenceId());
        assertEquals("a-1", payment.getMetadata().get("account"));
        assertNull(payment.getSubscription());
    }

    @Test
    @DisplayName("api_version decides the shape: before basil the top-level period and subscription fields are there too")
    void apiVersionShape() {
        JsonNode legacySub = Fixtures.json(StripeEventFixture.subscriptionUpdated().apiVersion("2024-06-20")
                .periodEnd(NOW).build());
        assertEquals("2024-06-20", legacySub.get("api_version").asText());
        assertEquals(NOW.getEpochSecond(), legacySub.at("/data/object/current_period_end").asLong());
        JsonNode currentSub = Fixtures.json(StripeEventFixture.subscriptionUpdated().apiVersion("2025-03-31.basil")
                .periodEnd(NOW).build());
        assertTrue(currentSub.at("/data/object/current_period_end").isMissingNode());
        assertEquals(NOW.getEpochSecond(), currentSub.at("/data/object/items/data/0/current_period_end").asLong());

        JsonNode legacyInvoice = Fixtures.json(StripeEventFixture.invoicePaid().apiVersion("2024-06-20")
                .subscription("sub_old").build());
        assertEquals("sub_old", legacyInvoice.at("/data/object/subscription").asText());
        assertTrue(legacyInvoice.at("/data/object/parent").isMissingNode());
        JsonNode currentInvoice = Fixtures.json(StripeEventFixture.invoicePaid().subscription("sub_new").build());
        assertTrue(currentInvoice.at("/data/object/subscription").isMissingNode());

        assertTrue(Fixtures.json(StripeEventFixture.invoicePaid().apiVersion(null).build()).get("api_version").isNull());
    }

    @Test
    @DisplayName("a signature from another secret or a stale time is refused by both verifiers")
    void wrongSecretAndStaleTime() {
        EventPayload event = StripeEventFixture.invoicePaid().build();
        SignedDelivery other = StripeSigner.of(Secret.of("whsec_another_secret_0000000000"), clock).sign(event);
        assertEquals(SignatureException.Reason.SIGNATURE_MISMATCH,
                assertThrows(SignatureException.class, () -> verifier.verify(other.toRequest())).reason());
        assertThrows(SignatureVerificationException.class, () -> Webhook.constructEvent(other.bodyAsString(),
                other.header("Stripe-Signature").orElseThrow(), STRIPE_SECRET, 300, clock));
        SignedDelivery stale = signer.sign(event, NOW.minusSeconds(301));
        assertEquals(SignatureException.Reason.TIMESTAMP_OUTSIDE_TOLERANCE,
                assertThrows(SignatureException.class, () -> verifier.verify(stale.toRequest())).reason());
        assertThrows(SignatureVerificationException.class, () -> Webhook.constructEvent(stale.bodyAsString(),
                stale.header("Stripe-Signature").orElseThrow(), STRIPE_SECRET, 300, clock));
    }

    @Test
    @DisplayName("the builder reports every problem at once")
    void builderReportsAllProblems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StripeEventFixture.invoicePaid()
                .id(" ").status("bogus").previousStatus("active").unitAmount(-1).build());
        String message = e.getMessage();
        for (String expected : List.of("id must not be blank", "status applies to customer.subscription.* events",
                "status must be one of", "but was 'bogus'", "previousStatus applies to customer.subscription.updated only",
                "unitAmount must not be negative, but was -1")) {
            assertTrue(message.contains(expected), () -> "missing '" + expected + "' in: " + message);
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> StripeEventFixture.of("charge.refunded"));
        assertTrue(unknown.getMessage().contains("invoice.paid"), unknown.getMessage());
    }

    @Test
    @DisplayName("default ids are random and prefixed like Stripe's; a fixed id repeats")
    void ids() {
        EventPayload a = StripeEventFixture.invoicePaid().build();
        EventPayload b = StripeEventFixture.invoicePaid().build();
        assertTrue(a.id().startsWith("evt_") && a.id().length() == 28, a.id());
        assertFalse(a.id().equals(b.id()));
        assertEquals("evt_fixed", StripeEventFixture.invoicePaid().id("evt_fixed").build().id());
        JsonNode json = Fixtures.json(a);
        assertTrue(json.at("/data/object/customer").asText().startsWith("cus_"));
    }

    private StripeObject typed(SignedDelivery delivery) throws SignatureVerificationException {
        Event event = Webhook.constructEvent(delivery.bodyAsString(), delivery.header("Stripe-Signature").orElseThrow(),
                STRIPE_SECRET, 300, clock);
        return event.getDataObjectDeserializer().getObject().orElseThrow(
                () -> new AssertionError("stripe-java could not read the data object of " + delivery.eventType()));
    }
}
