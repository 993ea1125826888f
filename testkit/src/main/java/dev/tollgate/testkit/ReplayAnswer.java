package dev.tollgate.testkit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One answer to a replayed delivery: the HTTP status and the body text.
 *
 * @param httpStatus the HTTP status, or {@code 0} when no HTTP answer came (the connection failed; the body
 *                   then says why)
 * @param body the response body, such as {@code {"status":"processed","event_id":"evt_1"}}
 */
public record ReplayAnswer(int httpStatus, String body) {

    /**
     * Refuses a null body.
     *
     * @param httpStatus the HTTP status, or {@code 0} when no HTTP answer came (the connection failed; the body
     *     then says why)
     * @param body the response body, such as {@code {"status":"processed","event_id":"evt_1"}}
     */
    public ReplayAnswer {
        Objects.requireNonNull(body, "body");
    }

    /** @return the body's {@code status} field ({@code processed}, {@code skipped}, …), when the body is such JSON */
    public Optional<String> status() {
        return field("status");
    }

    /** @return the body's {@code reason} field ({@code already_processed}, …), when there is one */
    public Optional<String> reason() {
        return field("reason");
    }

    /** @return whether the status is 2xx */
    public boolean isSuccess() {
        return httpStatus >= 200 && httpStatus < 300;
    }

    /** @return whether the status is 5xx, or no HTTP answer came */
    public boolean isServerError() {
        return httpStatus >= 500 || httpStatus == 0;
    }

    /** @return whether this answer says the event was handled now: {@code processed} or, asynchronously, {@code queued} */
    public boolean isFirstHandling() {
        return isSuccess() && status().filter(s -> s.equals("processed") || s.equals("queued")).isPresent();
    }

    private Optional<String> field(String name) {
        try {
            JsonNode json = JsonBodies.MAPPER.readTree(body);
            JsonNode value = json == null ? null : json.get(name);
            return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** @return {@code <status> <body>}, one line */
    @Override
    public String toString() {
        return httpStatus + " " + body.replace('\n', ' ');
    }
}
