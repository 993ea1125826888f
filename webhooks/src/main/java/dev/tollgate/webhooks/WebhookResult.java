package dev.tollgate.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a webhook endpoint answers: an HTTP status and a small JSON body ({@link #toJson()}).
 *
 * <table>
 *   <caption>Results</caption>
 *   <tr><th>status</th><th>body</th><th>when</th></tr>
 *   <tr><td>200</td><td>{@code {"status":"processed","event_id":…}}</td><td>handled now</td></tr>
 *   <tr><td>200</td><td>{@code {"status":"skipped","reason":"already_processed","event_id":…}}</td>
 *       <td>a duplicate delivery</td></tr>
 *   <tr><td>200</td><td>{@code {"status":"skipped","reason":"dead_lettered","event_id":…}}</td>
 *       <td>the event gave up after the maximum attempts; re-drive it from the dead-letter queue</td></tr>
 *   <tr><td>200</td><td>{@code {"status":"skipped","reason":"unhandled_type","event_id":…}}</td>
 *       <td>no handler is registered for the event type (nothing stored)</td></tr>
 *   <tr><td>200</td><td>{@code {"status":"queued","event_id":…}}</td>
 *       <td>asynchronous mode: stored durably, a worker will handle it</td></tr>
 *   <tr><td>200</td><td>{@code {"status":"skipped","reason":"already_received","event_id":…}}</td>
 *       <td>asynchronous mode: a duplicate delivery</td></tr>
 *   <tr><td>409</td><td>{@code {"status":"in_progress","event_id":…}}</td>
 *       <td>another worker is handling the same event right now, or its retry is not due yet. 409, not
 *       200, so the provider delivers it again later: if the other attempt fails, that redelivery
 *       processes it.</td></tr>
 *   <tr><td>400/401/413</td><td>{@code {"status":"rejected","reason":…}}</td><td>refused by the
 *       verifier ({@link SignatureException.Reason#code()}), a malformed payload
 *       ({@link WebhookPayloadException.Reason#code()}) or a too large body ({@code body_too_large})</td></tr>
 *   <tr><td>400</td><td>{@code {"status":"rejected","reason":"invalid_event_object"}}</td><td>a handler
 *       threw {@link WebhookPayloadException}: the event can never be processed, so it was dead-lettered at
 *       once instead of retried</td></tr>
 *   <tr><td>404</td><td>{@code {"status":"rejected","reason":"unknown_provider"}}</td>
 *       <td>no verifier is registered for the provider</td></tr>
 *   <tr><td>500</td><td>{@code {"status":"failed","reason":"handler_failed","event_id":…}}</td>
 *       <td>the handler threw: the provider retries, the event is dead-lettered after the maximum attempts</td></tr>
 *   <tr><td>500</td><td>{@code {"status":"failed","reason":"internal_error"}}</td>
 *       <td>a bug (for example a verifier that threw something else than {@link SignatureException})</td></tr>
 *   <tr><td>503</td><td>{@code {"status":"unavailable","reason":"store_unavailable"}}</td>
 *       <td>the idempotency store (database) cannot be used: the provider retries later</td></tr>
 * </table>
 *
 * @param httpStatus the HTTP status code
 * @param status the body's {@code status} field
 * @param reason the body's {@code reason} field, when there is one
 * @param eventId the body's {@code event_id} field, when the event id is known
 */
public record WebhookResult(int httpStatus, String status, @Nullable String reason, @Nullable String eventId) {

    /**
     * Refuses a null status and an HTTP status outside 100–599.
     *
     * @param httpStatus the HTTP status code
     * @param status the body's {@code status} field
     * @param reason the body's {@code reason} field, when there is one
     * @param eventId the body's {@code event_id} field, when the event id is known
     */
    public WebhookResult {
        Objects.requireNonNull(status, "status");
        if (httpStatus < 100 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 100 to 599, but was " + httpStatus);
        }
    }

    /**
     * @param eventId the event id
     * @return 200 {@code processed}
     */
    public static WebhookResult processed(String eventId) {
        return new WebhookResult(200, "processed", null, eventId);
    }

    /**
     * @param reason why it was skipped, such as {@code already_processed}
     * @param eventId the event id
     * @return 200 {@code skipped}
     */
    public static WebhookResult skipped(String reason, String eventId) {
        return new WebhookResult(200, "skipped", reason, eventId);
    }

    /**
     * @param eventId the event id
     * @return 200 {@code queued}
     */
    public static WebhookResult queued(String eventId) {
        return new WebhookResult(200, "queued", null, eventId);
    }

    /**
     * @param eventId the event id
     * @return 409 {@code in_progress}
     */
    public static WebhookResult inProgress(String eventId) {
        return new WebhookResult(409, "in_progress", null, eventId);
    }

    /**
     * @param httpStatus 400, 401, 404 or 413
     * @param reason the reason code
     * @return a {@code rejected} result
     */
    public static WebhookResult rejected(int httpStatus, String reason) {
        return new WebhookResult(httpStatus, "rejected", reason, null);
    }

    /**
     * @param reason {@code handler_failed} or {@code internal_error}
     * @param eventId the event id, when known
     * @return 500 {@code failed}
     */
    public static WebhookResult failed(String reason, @Nullable String eventId) {
        return new WebhookResult(500, "failed", reason, eventId);
    }

    /** @return 503 {@code unavailable}, reason {@code store_unavailable} */
    public static WebhookResult storeUnavailable() {
        return new WebhookResult(503, "unavailable", "store_unavailable", null);
    }

    /** @return whether the status is 2xx (the provider will not deliver again) */
    public boolean isSuccess() {
        return httpStatus >= 200 && httpStatus < 300;
    }

    /**
     * Renders the JSON body, such as {@code {"status":"skipped","reason":"already_processed","event_id":"evt_1"}}.
     *
     * @return the body, fields {@code status}, then {@code reason} and {@code event_id} when present
     */
    public String toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", status);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (eventId != null) {
            body.put("event_id", eventId);
        }
        return body.toString();
    }
}
