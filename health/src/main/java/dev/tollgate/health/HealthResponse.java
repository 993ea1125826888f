package dev.tollgate.health;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An HTTP response for any HTTP layer to write: status code, content type and body bytes.
 *
 * @param statusCode the HTTP status code (200, 503, 404)
 * @param contentType the {@code Content-Type} header value
 * @param body the body; the accessor returns a copy
 */
public record HealthResponse(int statusCode, String contentType, byte[] body) {

    /**
     * Checks and copies the arguments.
     *
     * @param statusCode the HTTP status code (200, 503, 404)
     * @param contentType the {@code Content-Type} header value
     * @param body the body; the accessor returns a copy
     */
    public HealthResponse {
        Objects.requireNonNull(contentType, "contentType");
        body = Objects.requireNonNull(body, "body").clone();
    }

    /**
     * @return a copy of the body bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * @return the body as UTF-8 text
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HealthResponse that && statusCode == that.statusCode
                && contentType.equals(that.contentType) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(statusCode, contentType, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "HealthResponse[" + statusCode + " " + contentType + " " + bodyText() + "]";
    }
}
