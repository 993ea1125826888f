package dev.tollgate.benchmarks;

import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Tollgate's webhook pipeline as the benchmarks use it, built with the public API exactly as a user would:
 * the {@link StripeVerifier} (secret {@link StripeEventFixture#SECRET}, tolerance 300 s, system UTC clock)
 * and, for the PostgreSQL figures, a {@link PostgresIdempotencyStore} with one transactional no-op handler
 * for the fixture's type ({@code onTransactional}: claim, handler and completion in one transaction).
 */
public final class BenchmarkPipelines {

    /** The provider every delivery is sent for. */
    public static final String PROVIDER = StripeVerifier.PROVIDER;

    private BenchmarkPipelines() {
    }

    /**
     * @return Tollgate's Stripe verifier for the fixture's secret, tolerance 300 s, system UTC clock
     */
    public static StripeVerifier stripeVerifier() {
        return StripeVerifier.builder()
                .secret(StripeEventFixture.SECRET)
                .tolerance(Duration.ofSeconds(300))
                .clock(Clock.systemUTC())
                .build();
    }

    /**
     * The pipeline of the PostgreSQL figures: Stripe verifier, PostgreSQL store on {@code dataSource},
     * a transactional no-op handler for {@link StripeEventFixture#TYPE}.
     *
     * @param dataSource the benchmark pool (the {@code webhooks} schema applied)
     * @return the pipeline
     */
    public static WebhookPipeline transactional(DataSource dataSource) {
        return transactionalBuilder(dataSource).build();
    }

    /**
     * The asynchronous pipeline of {@code async_intake}: Stripe verifier, PostgreSQL store on {@code dataSource}, a
     * no-op handler for {@link StripeEventFixture#TYPE}, every default (group commit included). Its workers are
     * never started: the benchmark measures the intake.
     *
     * @param dataSource the benchmark pool (the {@code webhooks} schema applied)
     * @return the pipeline
     */
    public static AsyncWebhookPipeline async(DataSource dataSource) {
        return WebhookPipeline.builder()
                .verifier(stripeVerifier())
                .store(PostgresIdempotencyStore.create(dataSource, Clock.systemUTC()))
                .on(StripeEventFixture.TYPE, event -> { })
                .buildAsync();
    }

    /**
     * The same pipeline with the duplicate cache turned off ({@code duplicateCache(0, …)}): every duplicate is
     * answered by the store, as on a replica that has not seen the event yet.
     *
     * @param dataSource the benchmark pool (the {@code webhooks} schema applied)
     * @return the pipeline
     */
    public static WebhookPipeline transactionalWithoutDuplicateCache(DataSource dataSource) {
        return transactionalBuilder(dataSource).duplicateCache(0, Duration.ofMinutes(1)).build();
    }

    private static WebhookPipeline.Builder transactionalBuilder(DataSource dataSource) {
        return WebhookPipeline.builder()
                .verifier(stripeVerifier())
                .store(PostgresIdempotencyStore.create(dataSource, Clock.systemUTC()))
                .onTransactional(StripeEventFixture.TYPE, (event, connection) -> { });
    }

    /**
     * The pipeline of {@code tollgate_verify_parse}: Stripe verifier, an in-memory store that is never
     * reached, and a no-op handler registered for another type than the fixture's. The pipeline verifies
     * and parses the delivery, finds no handler for its type and answers {@code skipped/unhandled_type}
     * without claiming: the public way to run exactly Tollgate's verify + parse (the parser itself is
     * internal, {@code dev.tollgate.webhooks.internal.EventParser}).
     *
     * @return the pipeline
     */
    public static WebhookPipeline verifyAndParseOnly() {
        return WebhookPipeline.builder()
                .verifier(stripeVerifier())
                .store(InMemoryIdempotencyStore.builder().build())
                .on("invoice.paid", event -> { })
                .build();
    }

    /**
     * A delivery as an HTTP layer would hand it over: the {@code Stripe-Signature} header and the body bytes.
     *
     * @param body the body bytes (not copied)
     * @param header the signature header value
     * @return the request
     */
    public static WebhookRequest request(byte[] body, String header) {
        return WebhookRequest.of(Map.of(StripeVerifier.SIGNATURE_HEADER, header), body);
    }

    /**
     * A delivery of a payload given as text, encoded as UTF-8.
     *
     * @param payload the body
     * @param header the signature header value
     * @return the request
     */
    public static WebhookRequest request(String payload, String header) {
        return request(payload.getBytes(StandardCharsets.UTF_8), header);
    }

    /**
     * Fails unless the pipeline answered what the benchmark means to measure.
     *
     * @param result the answer
     * @param status the expected {@link WebhookResult#status()}
     * @param reason the expected {@link WebhookResult#reason()}, or {@code null}
     * @return the result
     * @throws IllegalStateException otherwise
     */
    public static WebhookResult require(WebhookResult result, String status, @Nullable String reason) {
        if (!result.status().equals(status) || (reason != null && !reason.equals(result.reason()))) {
            throw new IllegalStateException("expected " + status + (reason == null ? "" : "/" + reason)
                    + " but the pipeline answered " + result.toJson()
                    + ": the benchmark would not measure the path it names");
        }
        return result;
    }
}
