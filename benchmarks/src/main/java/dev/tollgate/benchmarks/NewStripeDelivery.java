package dev.tollgate.benchmarks;

import dev.tollgate.webhooks.WebhookRequest;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A delivery of a Stripe event never seen before, built and signed (with the current time) in an untimed
 * per-invocation set-up: a fresh random id ({@link EventIds#random()}), the 2 KB fixture as payload.
 * Per thread, so each of several benchmark threads delivers its own events.
 */
@State(Scope.Thread)
public class NewStripeDelivery {

    private WebhookRequest request = BenchmarkPipelines.request("{}", "");

    /** Builds and signs the next new event. */
    @Setup(Level.Invocation)
    public void prepare() {
        String payload = StripeEventFixture.subscriptionUpdated(EventIds.random());
        long now = System.currentTimeMillis() / 1000;
        request = BenchmarkPipelines.request(payload,
                StripeEventFixture.signatureHeader(payload, now, StripeEventFixture.SECRET));
    }

    /** @return the delivery prepared for this invocation */
    public WebhookRequest request() {
        return request;
    }
}
