package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The pipeline tells its observer every refusal and outcome, and an observer that throws changes nothing. */
@TollgatePostgres
class WebhookObserverTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final HmacTestVerifier verifier = new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock);

    /** Records calls as text. */
    private static final class Recording implements WebhookObserver {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void deliveryRefused(String provider, String reason) {
            calls.add("refused " + provider + " " + reason);
        }

        @Override
        public void eventHandled(String provider, String eventType, Outcome outcome, Duration duration) {
            calls.add(outcome + " " + provider + " " + eventType + " " + duration.toMillis());
        }
    }

    private WebhookPipeline.Builder pipeline(WebhookObserver observer, IdempotencyStore store) {
        return WebhookPipeline.builder().verifier(verifier).store(store).clock(clock).observer(observer)
                .on("invoice.paid", event -> clock.advance(Duration.ofMillis(250)))
                .on("invoice.failing", event -> {
                    throw new IllegalStateException("down");
                })
                .on("invoice.unprocessable", event -> {
                    throw new WebhookPayloadException(WebhookPayloadException.Reason.INVALID_EVENT_OBJECT, "no", null);
                });
    }

    @Test
    void everyOutcomeIsObservedWithTheHandlerTimeOnThePipelinesClock() {
        Recording observer = new Recording();
        WebhookPipeline p = pipeline(observer, InMemoryIdempotencyStore.builder().clock(clock).build())
                .maxAttempts(2).build();
        p.handle("stripe", signedStripe(clock, "evt_1", "invoice.paid"));
        p.handle("stripe", signedStripe(clock, "evt_1", "invoice.paid"));
        p.handle("stripe", signedStripe(clock, "evt_2", "invoice.failing"));
        p.handle("stripe", signedStripe(clock, "evt_2", "invoice.failing"));
        p.handle("stripe", signedStripe(clock, "evt_3", "invoice.unprocessable"));
        p.handle("stripe", WebhookRequest.of(Map.of(HmacTestVerifier.HEADER, "t=1,v1=00"),
                "{}".getBytes(StandardCharsets.UTF_8)));
        p.handle("paddle", signedStripe(clock, "evt_4", "invoice.paid"));
        assertEquals(List.of(
                "PROCESSED stripe invoice.paid 250",
                "DUPLICATE stripe invoice.paid 0",
                "FAILED stripe invoice.failing 0",
                "DEAD_LETTERED stripe invoice.failing 0",
                "REJECTED stripe invoice.unprocessable 0",
                "refused stripe timestamp_outside_tolerance",
                "refused paddle unknown_provider"), observer.calls);
    }

    @Test
    void transactionalHandlersAreObservedToo(DataSource dataSource) {
        Recording observer = new Recording();
        WebhookPipeline p = WebhookPipeline.builder().verifier(verifier).observer(observer)
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .onTransactional("invoice.paid", (event, connection) -> clock.advance(Duration.ofSeconds(1))).build();
        p.handle("stripe", signedStripe(clock, "evt_tx_observed", "invoice.paid"));
        p.handle("stripe", signedStripe(clock, "evt_tx_observed", "invoice.paid"));
        assertEquals(List.of("PROCESSED stripe invoice.paid 1000", "DUPLICATE stripe invoice.paid 0"), observer.calls);
    }

    @Test
    void workersOfTheAsynchronousPipelineReportTheirOutcomes(DataSource dataSource) {
        Recording observer = new Recording();
        AsyncWebhookPipeline p = WebhookPipeline.builder().verifier(verifier).observer(observer)
                .store(PostgresIdempotencyStore.create(dataSource, clock)).clock(clock).maxAttempts(1)
                .on("invoice.paid", event -> clock.advance(Duration.ofMillis(500)))
                .on("invoice.failing", event -> {
                    throw new IllegalStateException("down");
                })
                .buildAsync();
        assertEquals("queued", p.handle("stripe", signedStripe(clock, "evt_async_ok", "invoice.paid")).status());
        assertEquals("queued", p.handle("stripe", signedStripe(clock, "evt_async_bad", "invoice.failing")).status());
        try (WebhookWorker worker = p.newWorker()) {
            assertEquals(2, worker.runOnce());
        }
        assertEquals(List.of("DEAD_LETTERED stripe invoice.failing 0", "PROCESSED stripe invoice.paid 500"),
                observer.calls.stream().sorted().toList());
    }

    @Test
    void anObserverThatThrowsChangesNoAnswer() {
        WebhookObserver throwing = new WebhookObserver() {
            @Override
            public void deliveryRefused(String provider, String reason) {
                throw new IllegalStateException("observer bug");
            }

            @Override
            public void eventHandled(String provider, String eventType, Outcome outcome, Duration duration) {
                throw new IllegalStateException("observer bug");
            }
        };
        WebhookPipeline observed = pipeline(throwing, InMemoryIdempotencyStore.builder().clock(clock).build()).build();
        WebhookPipeline plain = pipeline(WebhookObserver.NONE, InMemoryIdempotencyStore.builder().clock(clock).build())
                .build();
        for (WebhookPipeline p : List.of(observed, plain)) {
            assertEquals(WebhookResult.processed("evt_t"), p.handle("stripe", signedStripe(clock, "evt_t", "invoice.paid")));
            assertEquals(WebhookResult.skipped("already_processed", "evt_t"),
                    p.handle("stripe", signedStripe(clock, "evt_t", "invoice.paid")));
            assertEquals(500, p.handle("stripe", signedStripe(clock, "evt_f", "invoice.failing")).httpStatus());
            assertEquals(404, p.handle("nope", signedStripe(clock, "evt_n", "invoice.paid")).httpStatus());
        }
    }
}
