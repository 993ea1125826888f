package dev.tollgate.webhooks;

import java.time.Duration;

/**
 * Told what the webhook pipeline did, for metrics; register one with {@link WebhookPipeline.Builder#observer}.
 * Every method has an empty default, so an implementation overrides only what it needs and keeps compiling
 * when methods are added. The health module's {@code MicrometerWebhookObserver} is the usual implementation.
 *
 * <p>Calls are made on the thread that handles the delivery (or the worker thread), after the outcome is
 * recorded. They must be quick and must not block. An observer that throws is caught and logged: it never
 * changes the answer or the stored state. Arguments carry no payload, secret or personal data; the
 * {@code provider} of a refused delivery is whatever the endpoint was called with, so an implementation that
 * turns it into a metric tag must bound it.
 */
public interface WebhookObserver {

    /** What happened to a verified delivery. */
    enum Outcome {
        /** The handler succeeded and the event is recorded processed. */
        PROCESSED,
        /** The event had been processed (or dead-lettered) before: skipped. */
        DUPLICATE,
        /** Another delivery of the event holds its lease: answered {@code in_progress}. */
        IN_PROGRESS,
        /** The handler failed; the event will be retried. */
        FAILED,
        /** The handler failed on the last attempt; the event is dead-lettered. */
        DEAD_LETTERED,
        /** The handler declared the event permanently unprocessable: answered 400, dead-lettered without retry. */
        REJECTED
    }

    /** An observer that does nothing (the default). */
    WebhookObserver NONE = new WebhookObserver() {
    };

    /**
     * A delivery was refused before processing: unknown provider, body too large, bad or missing signature,
     * stale timestamp, malformed body.
     *
     * @param provider the provider the endpoint was called with (unbounded: an attacker chooses it)
     * @param reason the reason code of the answer, such as {@code signature_mismatch}
     */
    default void deliveryRefused(String provider, String reason) {
    }

    /**
     * A verified event went through claim and (when claimed) its handler.
     *
     * @param provider the provider
     * @param eventType the event's type
     * @param outcome what happened
     * @param duration from the claim to the recorded outcome, measured with the pipeline's clock (zero for
     *                 {@link Outcome#DUPLICATE} and {@link Outcome#IN_PROGRESS}, where no handler ran)
     */
    default void eventHandled(String provider, String eventType, Outcome outcome, Duration duration) {
    }
}
