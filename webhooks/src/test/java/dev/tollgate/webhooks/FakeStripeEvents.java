package dev.tollgate.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local fake of Stripe's {@code GET /v1/events} (https://docs.stripe.com/api/events/list): newest first,
 * {@code limit}, {@code starting_after}, {@code created[gte]} / {@code created[lte]}, and the list envelope
 * {@code {"object":"list","data":[…],"has_more":…,"url":"/v1/events"}}. Scripted answers (a 429, a 500) are
 * served before the normal ones, one per call.
 */
final class FakeStripeEvents implements AutoCloseable {

    /** A scripted answer. */
    record Answer(int status, String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final Deque<Answer> script = new ArrayDeque<>();
    final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();

    FakeStripeEvents() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            calls.add(query);
            Answer answer;
            synchronized (this) {
                answer = script.poll();
            }
            if (answer == null) {
                answer = "/v1/events".equals(exchange.getRequestURI().getPath())
                        ? new Answer(200, list(query), Map.of())
                        : new Answer(404, error("invalid_request_error", null, "Unrecognized request URL"), Map.of());
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_fake" + calls.size());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Adds an event in the shape of Stripe's Event object (https://docs.stripe.com/api/events/object).
     */
    synchronized String add(String id, String type, Instant created) {
        events.add(Map.of("id", id, "type", type, "created", created.getEpochSecond(), "json", eventJson(id, type,
                created)));
        return eventJson(id, type, created);
    }

    static String eventJson(String id, String type, Instant created) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2025-03-31.basil\",\"created\":"
                + created.getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"in_" + id.substring(4)
                + "\",\"object\":\"invoice\",\"customer\":\"cus_fake\",\"status\":\"paid\"}},\"livemode\":false,"
                + "\"pending_webhooks\":0,\"request\":{\"id\":null,\"idempotency_key\":null},\"type\":\"" + type
                + "\"}";
    }

    synchronized void answerNext(int status, String body, Map<String, String> headers) {
        script.add(new Answer(status, body, headers));
    }

    synchronized void rateLimitNext(String retryAfter) {
        answerNext(429, error("invalid_request_error", "rate_limit",
                "Too many requests hit the API too quickly."), retryAfter == null ? Map.of()
                : Map.of("Retry-After", retryAfter));
    }

    static String error(String type, String code, String message) {
        return "{\"error\":{\"type\":\"" + type + "\"," + (code == null ? "" : "\"code\":\"" + code + "\",")
                + "\"message\":\"" + message + "\"}}";
    }

    private synchronized String list(Map<String, String> query) {
        long gte = Long.parseLong(query.getOrDefault("created[gte]", "0"));
        long lte = Long.parseLong(query.getOrDefault("created[lte]", String.valueOf(Long.MAX_VALUE)));
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        List<Map<String, Object>> newestFirst = new ArrayList<>(events.stream()
                .filter(e -> (long) e.get("created") >= gte && (long) e.get("created") <= lte)
                .sorted(Comparator.comparing((Map<String, Object> e) -> (long) e.get("created")).reversed()
                        .thenComparing(e -> (String) e.get("id"), Comparator.reverseOrder()))
                .toList());
        String after = query.get("starting_after");
        int start = 0;
        if (after != null) {
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).get("id").equals(after)) {
                    start = i + 1;
                }
            }
        }
        List<Map<String, Object>> page = newestFirst.subList(Math.min(start, newestFirst.size()),
                Math.min(start + limit, newestFirst.size()));
        boolean hasMore = start + limit < newestFirst.size();
        StringBuilder data = new StringBuilder();
        for (Map<String, Object> e : page) {
            data.append(data.length() == 0 ? "" : ",").append(e.get("json"));
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"has_more\":" + hasMore + ",\"url\":\"/v1/events\"}";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            map.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
