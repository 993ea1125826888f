package dev.tollgate.testkit;

import static dev.tollgate.testkit.Fixtures.NOW;
import static dev.tollgate.testkit.Fixtures.STRIPE_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.model.Event;
import com.stripe.model.Subscription;
import com.stripe.net.Webhook;
import dev.tollgate.Secret;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Unicode, quotes, huge values, malformed and oversized bodies, and out-of-order deliveries through real verifiers. */
class NastyInputTest {

    private final MutableClock clock = MutableClock.at(NOW);
    private final StripeSigner signer = StripeSigner.of(Secret.of(STRIPE_SECRET), clock);
    private final List<WebhookEvent> handled = new CopyOnWriteArrayList<>();
    private final WebhookPipeline pipeline = WebhookPipeline.builder()
            .verifier(StripeVerifier.builder().secret(STRIPE_SECRET).clock(clock).build())
            .store(InMemoryIdempotencyStore.builder().clock(clock).build())
            .on("*", handled::add).build();

    @Test
    @DisplayName("unicode, quotes, backslashes and a 10,000-character tenant survive signing, both verifiers and typing")
    void awkwardTenantIds() throws Exception {
        for (String tenant : List.of("tenant-é✓\uD83D\uDE00", "o'neil\"; DROP TABLE billing.tenant_billing;--",
                "back\\slash\nnew line\ttab", "t".repeat(10_000), " ")) {
            SignedDelivery delivery = signer.sign(StripeEventFixture.subscriptionUpdated().tenant(tenant)
                    .customer("cus_" + tenant.length()).build());
            assertEquals(WebhookResult.processed(delivery.eventId()), pipeline.handle("stripe", delivery.toRequest()));
            Event event = Webhook.constructEvent(delivery.bodyAsString(),
                    delivery.header("Stripe-Signature").orElseThrow(), STRIPE_SECRET, 300, clock);
            Subscription sub = (Subscription) event.getDataObjectDeserializer().getObject().orElseThrow();
            assertEquals(tenant, sub.getMetadata().get("tenant_id"));
            assertEquals(tenant, handled.get(handled.size() - 1).json().at("/data/object/metadata/tenant_id").asText());
        }
    }

    @Test
    @DisplayName("a correctly signed malformed or empty body is a 400 with a reason code; a huge one is a 413")
    void malformedAndHugeBodies() {
        EventPayload event = StripeEventFixture.invoicePaid().build();
        SignedDelivery broken = signer.sign(event.withBody("{\"id\": \"evt_1\", ".getBytes(StandardCharsets.UTF_8)));
        assertEquals(WebhookResult.rejected(400, "malformed_json"), pipeline.handle("stripe", broken.toRequest()));
        SignedDelivery empty = signer.sign(event.withBody(new byte[0]));
        assertEquals(400, pipeline.handle("stripe", empty.toRequest()).httpStatus());
        SignedDelivery noId = signer.sign(event.withBody("{\"type\": \"invoice.paid\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(WebhookResult.rejected(400, "missing_event_id"), pipeline.handle("stripe", noId.toRequest()));
        byte[] huge = new byte[(1 << 20) + 1];
        Arrays.fill(huge, (byte) ' ');
        SignedDelivery tooLarge = signer.sign(event.withBody(huge));
        assertEquals(413, pipeline.handle("stripe", tooLarge.toRequest()).httpStatus());
        assertEquals(List.of(), handled);
    }

    @Test
    @DisplayName("out of order: a newer and an older event delivered newest first keep their own created times")
    void outOfOrder() {
        EventPayload older = StripeEventFixture.subscriptionUpdated().id("evt_old").subscription("sub_1")
                .status("past_due").created(NOW.minus(Duration.ofHours(2))).build();
        EventPayload newer = StripeEventFixture.subscriptionUpdated().id("evt_new").subscription("sub_1")
                .status("active").created(NOW.minus(Duration.ofHours(1))).build();
        pipeline.handle("stripe", signer.sign(newer).toRequest());
        clock.advance(Duration.ofMinutes(10)); // the provider's retry of the older one comes later
        pipeline.handle("stripe", signer.sign(older).toRequest());
        assertEquals(List.of("evt_new", "evt_old"), handled.stream().map(WebhookEvent::id).toList());
        assertEquals(NOW.minus(Duration.ofHours(1)), handled.get(0).created());
        assertEquals(NOW.minus(Duration.ofHours(2)), handled.get(1).created());
    }

    @Test
    @DisplayName("one concurrent delivery is just a delivery; a replay to a pipeline that already has the event says so")
    void degenerateReplays() {
        SignedDelivery delivery = signer.sign(StripeEventFixture.invoicePaid().build());
        Replayer replayer = Replayer.to(pipeline);
        replayer.concurrently(delivery, 1).assertExactlyOnce(handled::size);
        AssertionError again = assertThrows(AssertionError.class,
                () -> replayer.inSequence(delivery, 2).assertExactlyOnce(handled::size));
        assertTrue(again.getMessage().contains(
                "expected exactly 1 \"processed\" (or \"queued\") answer, saw 0"), again.getMessage());
    }
}
