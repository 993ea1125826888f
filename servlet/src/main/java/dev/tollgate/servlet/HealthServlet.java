package dev.tollgate.servlet;

import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthResponse;
import dev.tollgate.servlet.internal.JsonAnswers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The probes, mapped to {@code /health/*}: {@code GET /health} → {@code {"status":"healthy","version":…,"database":"connected"}},
 * {@code /health/ready} → {@code {"ready":true}} (503 and {@code false} when a readiness contributor fails),
 * {@code /health/live} → {@code {"live":true}} (no dependency checked). The answers are
 * {@link HealthEndpoints#handle(String)}'s, byte for byte.
 *
 * <pre>{@code
 * HealthServlet health = HealthServlet.of(HealthEndpoints.builder(registry).version("1.4.2").build());
 * }</pre>
 *
 * <p>GET and HEAD only; any other method is answered 405 {@code method_not_allowed} with {@code Allow: GET, HEAD}.
 * Every answer carries {@code Cache-Control: no-store}. Thread-safe.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] METHOD_NOT_ALLOWED = "{\"error\":\"method_not_allowed\",\"message\":\"Use GET or HEAD.\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final transient HealthEndpoints endpoints;

    private HealthServlet(HealthEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * A servlet answering with these endpoints.
     *
     * @param endpoints the endpoints
     * @return the servlet
     */
    public static HealthServlet of(HealthEndpoints endpoints) {
        return new HealthServlet(Objects.requireNonNull(endpoints, "endpoints"));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            JsonAnswers.closeIfBodyUnread(request, response);
            JsonAnswers.write(request, response, 405, JsonAnswers.JSON, METHOD_NOT_ALLOWED);
            return;
        }
        String pathInfo = request.getPathInfo();
        HealthResponse answer = endpoints.handle(pathInfo == null ? request.getServletPath()
                : request.getServletPath() + pathInfo);
        JsonAnswers.write(request, response, answer.statusCode(), answer.contentType(), answer.body());
    }

    @Override
    public String toString() {
        return "HealthServlet";
    }
}
