package dev.tollgate.webhooks;

import dev.tollgate.TollgateException;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A verified delivery's body is not an event Tollgate can read. The endpoint answers 400 with
 * {@link Reason#code()}; the message never quotes the payload.
 *
 * <p>Handlers may throw it too, to say that an event can never be processed (its object lacks what the
 * handler needs): the pipeline then dead-letters the event at once instead of retrying it, and answers
 * 400, so the failure is visible in {@code webhooks.dead_letter_queue} rather than retried for hours.
 */
public final class WebhookPayloadException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the payload. */
    public enum Reason {
        /** The body is empty, not JSON, or not a JSON object. */
        MALFORMED_JSON,
        /** The event id is absent (Stripe {@code id}, RevenueCat {@code event.id}, header {@code webhook-id}). */
        MISSING_EVENT_ID,
        /** The event id is not a string of 1 to 255 characters. */
        INVALID_EVENT_ID,
        /** The event type is absent or not a string. */
        MISSING_EVENT_TYPE,
        /**
         * The event is well-formed but its object cannot be used (a handler found a required field
         * missing or of the wrong type). Thrown by handlers: the event is dead-lettered at once, not
         * retried, since a redelivery of the same bytes cannot succeed.
         */
        INVALID_EVENT_OBJECT;

        /** @return the reason as a lower-case code for JSON bodies, such as {@code malformed_json} */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The machine-readable reason, for callers that map the failure without parsing the message. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason what is wrong
     * @param message a human explanation, without payload content
     * @param cause the parser's failure, may be {@code null}
     */
    public WebhookPayloadException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return what is wrong with the payload */
    public Reason reason() {
        return reason;
    }
}
