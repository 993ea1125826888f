package dev.tollgate.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP answer of the demo: status, content type, body and extra headers.
 *
 * @param status the HTTP status
 * @param contentType the content type
 * @param body the body bytes
 * @param headers extra response headers
 */
record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    ApiResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    static ApiResponse json(int status, String json) {
        return new ApiResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, JSON, MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a response body", e);
        }
    }

    static ApiResponse error(int status, String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", reason);
        body.put("message", message);
        return json(status, body);
    }

    static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, contentType, body, all);
    }
}
