package dev.tollgate.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests by exact path and method, reads POST bodies up to each route's limit, and turns every
 * failure into a JSON answer with a reason code: 404 {@code not_found}, 405 {@code method_not_allowed}
 * (with {@code Allow}), 413 {@code body_too_large}, 400 for bad input, 500 {@code internal_error} (the
 * stack trace goes to the log, never to the client).
 */
final class DemoHttpHandler implements HttpHandler {

    /** One endpoint of one route and method. */
    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(ApiRequest request);
    }

    /**
     * A request as endpoints see it.
     *
     * @param method the method, upper case
     * @param path the raw path
     * @param query the decoded query parameters (the first value of each)
     * @param headers the request headers, names as sent
     * @param body the body (empty for GET)
     */
    record ApiRequest(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                      byte[] body) {

        /** @return the first value of a header, ignoring the name's case, or {@code null} */
        @Nullable String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** @return the named query parameter, refused with 400 when missing or blank */
        String requiredQuery(String name) {
            String value = query.get(name);
            if (value == null || value.isBlank()) {
                throw new ApiException(400, "missing_parameter", "the query parameter '" + name + "' is required");
            }
            return value;
        }
    }

    private record Route(Map<String, Endpoint> byMethod, int maxBodyBytes) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DemoHttpHandler.class);
    private static final int MAX_QUERY_LENGTH = 4096;
    private static final long MAX_DRAIN_BYTES = 16L * 1024 * 1024;

    private final Map<String, Route> routes;

    private DemoHttpHandler(Map<String, Route> routes) {
        this.routes = Map.copyOf(routes);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects routes; a path may have several methods. */
    static final class Builder {
        private final Map<String, Map<String, Endpoint>> endpoints = new LinkedHashMap<>();
        private final Map<String, Integer> limits = new LinkedHashMap<>();

        Builder get(String path, Endpoint endpoint) {
            return add("GET", path, endpoint, 0);
        }

        Builder post(String path, int maxBodyBytes, Endpoint endpoint) {
            return add("POST", path, endpoint, maxBodyBytes);
        }

        private Builder add(String method, String path, Endpoint endpoint, int maxBodyBytes) {
            Map<String, Endpoint> methods = endpoints.computeIfAbsent(path, p -> new TreeMap<>());
            if (methods.put(method, Objects.requireNonNull(endpoint, "endpoint")) != null) {
                throw new IllegalStateException(method + " " + path + " was routed twice");
            }
            limits.merge(path, maxBodyBytes, Math::max);
            return this;
        }

        DemoHttpHandler build() {
            Map<String, Route> routes = new LinkedHashMap<>();
            endpoints.forEach((path, methods) -> routes.put(path, new Route(Map.copyOf(methods), limits.get(path))));
            return new DemoHttpHandler(routes);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ApiResponse response;
            try {
                response = dispatch(exchange);
            } catch (ApiException e) {
                response = ApiResponse.error(e.status(), e.reason(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                response = ApiResponse.error(500, "internal_error", "The request failed; the server log says why.");
            }
            write(exchange, response);
        } catch (IOException e) {
            LOG.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    e.toString());
        }
    }

    private ApiResponse dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Route route = routes.get(path);
        if (route == null) {
            return ApiResponse.error(404, "not_found", "No route for this path.");
        }
        Endpoint endpoint = route.byMethod().get(method);
        if (endpoint == null && method.equals("HEAD")) {
            endpoint = route.byMethod().get("GET");
        }
        if (endpoint == null) {
            TreeSet<String> allowed = new TreeSet<>(route.byMethod().keySet());
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            return ApiResponse.error(405, "method_not_allowed", "Use " + String.join(", ", allowed) + ".")
                    .withHeader("Allow", String.join(", ", allowed));
        }
        byte[] body = method.equals("POST") ? readBody(exchange, route.maxBodyBytes()) : new byte[0];
        return endpoint.handle(new ApiRequest(method, path, query(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders(), body));
    }

    /** Reads the raw body bytes, refusing more than {@code max} before reading them all. */
    private static byte[] readBody(HttpExchange exchange, int max) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw new ApiException(400, "bad_content_length", "Content-Length is not a number.");
            }
            if (length > max) {
                drain(exchange.getRequestBody());
                throw tooLarge(max);
            }
        }
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            drain(in);
            throw tooLarge(max);
        }
        return body;
    }

    /**
     * Reads and drops what is left of a refused body (up to a bound), so that the client, still sending,
     * reads the 413 instead of a reset connection. Beyond the bound the connection is closed.
     */
    private static void drain(InputStream in) throws IOException {
        // read(), not skip(): skip() on the exchange's stream can pass through to the socket and wait there
        byte[] buffer = new byte[8192];
        long left = MAX_DRAIN_BYTES;
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
            left -= n;
        }
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "body_too_large", "The body is larger than " + max + " bytes.");
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        if (raw.length() > MAX_QUERY_LENGTH) {
            throw new ApiException(414, "query_too_long", "The query string is longer than " + MAX_QUERY_LENGTH
                    + " characters.");
        }
        List<String> pairs = new ArrayList<>(List.of(raw.split("&")));
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "malformed_query", "The query string is not valid URL encoding.");
            }
        }
        return query;
    }

    private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", response.contentType().startsWith("application/json")
                ? response.contentType() + "; charset=utf-8" : response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
