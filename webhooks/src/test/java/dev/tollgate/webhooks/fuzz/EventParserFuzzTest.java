package dev.tollgate.webhooks.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.webhooks.EventFormat;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPayloadException;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import dev.tollgate.webhooks.internal.EventParser;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fuzzes the event parser with arbitrary bodies: directly (the pipeline's internal {@link EventParser}, for
 * every provider format, where only a {@link WebhookPayloadException} with a reason may escape), and through
 * {@link WebhookPipeline#handle} with a genuine signature over the arbitrary body, which must answer 200 or
 * a 400 with a payload reason code, never 5xx.
 */
class EventParserFuzzTest {

    private static final Set<String> PAYLOAD_CODES = Arrays.stream(WebhookPayloadException.Reason.values())
            .map(WebhookPayloadException.Reason::code).collect(Collectors.toSet());

    private static final WebhookPipeline PIPELINE = WebhookPipeline.builder()
            .verifier(StripeVerifier.builder().secret(FuzzSigning.STRIPE_SECRET).clock(FuzzSigning.CLOCK).build())
            .store(InMemoryIdempotencyStore.builder().clock(FuzzSigning.CLOCK).maximumSize(1_000).build())
            .on("*", event -> { })
            .clock(FuzzSigning.CLOCK)
            .build();

    /** The parser itself, every format, with and without a {@code webhook-id} header. */
    @FuzzTest(maxDuration = "2m")
    void parserRefusesArbitraryBodiesOnlyWithPayloadException(FuzzedDataProvider data) {
        EventFormat format = data.pickValue(EventFormat.values());
        Map<String, String> headers = new HashMap<>();
        if (data.consumeBoolean()) {
            headers.put("webhook-id", data.consumeString(300));
        }
        if (data.consumeBoolean()) {
            headers.put("webhook-timestamp", data.consumeString(30));
        }
        byte[] body = data.consumeRemainingAsBytes();
        try {
            WebhookEvent event = EventParser.parse(format, "fuzz", WebhookRequest.of(headers, body));
            assertFalse(event.id().isEmpty(), "an event id is never empty");
            assertTrue(event.id().length() <= 255, "an event id fits webhooks.events");
            assertFalse(event.type().isEmpty(), "an event type is never empty");
            assertArrayEquals(body, event.payload(), "the payload is the body as received");
            WebhookEvent stored = EventParser.parseStored(format, "fuzz", event.id(), body);
            assertEquals(event.type(), stored.type(), "a stored payload parses to the same type");
        } catch (WebhookPayloadException e) {
            assertNotNull(e.reason(), "a payload refusal carries a reason");
        }
    }

    /** The whole intake: verified arbitrary bytes are answered 200 or 400 with a payload code. */
    @FuzzTest(maxDuration = "2m")
    void pipelineAnswersVerifiedArbitraryBodiesWith200Or400(FuzzedDataProvider data) {
        byte[] body = data.consumeRemainingAsBytes();
        WebhookResult result = PIPELINE.handle("stripe", WebhookRequest.of(
                Map.of(StripeVerifier.SIGNATURE_HEADER, FuzzSigning.stripeHeader(body)), body));
        if (result.httpStatus() == 200) {
            assertNotNull(result.eventId(), result.toJson());
        } else {
            assertEquals(400, result.httpStatus(), result.toJson());
            assertTrue(PAYLOAD_CODES.contains(result.reason()), result.toJson());
        }
    }
}
