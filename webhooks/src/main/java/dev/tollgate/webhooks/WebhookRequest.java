package dev.tollgate.webhooks;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook delivery as it arrived: its headers and the raw bytes of its body.
 *
 * <p>Always build it from the bytes the HTTP server read, never from a re-serialized JSON object or a
 * {@code Reader} joined line by line: the signature covers the exact bytes, and a lost newline or a
 * reordered field makes a genuine delivery fail verification.
 *
 * <p>Header names are matched case-insensitively. The body array is not copied (deliveries can be
 * large); callers must not change it after handing it over.
 */
public final class WebhookRequest {

    private final Map<String, List<String>> headers;
    private final byte[] body;

    private WebhookRequest(Map<String, List<String>> headers, byte[] body) {
        this.headers = headers;
        this.body = body;
    }

    /**
     * Creates a request from single-valued headers.
     *
     * @param headers header names to values
     * @param body the raw body bytes
     * @return the request
     */
    public static WebhookRequest of(Map<String, String> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "header name"),
                List.of(Objects.requireNonNull(value, () -> "value of header " + name))));
        return new WebhookRequest(Collections.unmodifiableMap(copy), body);
    }

    /**
     * Creates a request from multi-valued headers, as servlet containers and {@code HttpExchange} give
     * them.
     *
     * @param headers header names to their values
     * @param body the raw body bytes
     * @return the request
     */
    public static WebhookRequest ofMultiValued(Map<String, ? extends List<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && values != null) { // HttpURLConnection reports the status line under null
                copy.merge(name, List.copyOf(values), (a, b) -> {
                    List<String> merged = new java.util.ArrayList<>(a);
                    merged.addAll(b);
                    return List.copyOf(merged);
                });
            }
        });
        return new WebhookRequest(Collections.unmodifiableMap(copy), body);
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, in any case
     * @return the first value, or empty when the header is absent
     */
    public Optional<String> header(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * Returns every value of a header.
     *
     * @param name the header name, in any case
     * @return the values, empty when the header is absent
     */
    public List<String> headerValues(String name) {
        Objects.requireNonNull(name, "name");
        return headers.getOrDefault(name, List.of());
    }

    /** @return every header, names matched case-insensitively */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** @return the raw body bytes (not copied: do not modify) */
    public byte[] body() {
        return body;
    }

    /** @return the body length in bytes */
    public int bodyLength() {
        return body.length;
    }

    /** Names the headers and the body size only: header values may hold signatures or secrets. */
    @Override
    public String toString() {
        return "WebhookRequest[headers=" + headers.keySet().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()
                + ", body=" + body.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest that && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(body);
    }
}
