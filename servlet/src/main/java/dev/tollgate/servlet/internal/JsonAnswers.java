package dev.tollgate.servlet.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.DenialResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;

/** Writes the adapters' answers: status, content type, length, {@code Cache-Control: no-store}, bytes. */
public final class JsonAnswers {

    /** The content type of RFC 9457 problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The content type of every other answer. */
    public static final String JSON = "application/json";

    private JsonAnswers() {
    }

    /**
     * Writes a gate denial: {@link DenialResponse#json} or, when the request accepts it,
     * {@link DenialResponse#problem} with the request URI as instance.
     *
     * @param request the request
     * @param response the response
     * @param decision a denial
     * @throws IOException if the client is gone
     */
    public static void deny(HttpServletRequest request, HttpServletResponse response, BillingDecision decision)
            throws IOException {
        closeIfBodyUnread(request, response);
        DenialResponse denial = acceptsProblem(request)
                ? DenialResponse.problem(decision, request.getRequestURI())
                : DenialResponse.json(decision);
        write(request, response, denial.status(), denial.contentType(), denial.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The 400 answer to a gated request without a tenant, as the Spring Boot starter writes it.
     *
     * @param hint how a client supplies the tenant
     * @return {@code {"error":"tenant_required","message":"This operation needs a tenant: <hint>"}}
     */
    public static String tenantRequired(String hint) {
        return "{\"error\":\"tenant_required\",\"message\":\"This operation needs a tenant: "
                + new String(JsonStringEncoder.getInstance().quoteAsString(hint)) + "\"}";
    }

    /**
     * Whether an {@code Accept} header of the request names {@code application/problem+json}.
     *
     * @param request the request
     * @return true when it does
     */
    public static boolean acceptsProblem(HttpServletRequest request) {
        for (String accept : Collections.list(request.getHeaders("Accept"))) {
            if (accept.toLowerCase(Locale.ROOT).contains(PROBLEM_JSON)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes an answer (no body for HEAD) and commits it.
     *
     * @param request the request
     * @param response the response
     * @param status the status
     * @param contentType the content type
     * @param body the body
     * @throws IOException if the client is gone
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String contentType,
                             byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
        response.flushBuffer();
    }

    /**
     * For an answer given without reading the request's body: says {@code Connection: close} when the request has
     * one. The container cannot keep a connection whose request body was not read to its end, and a client told
     * nothing would try to reuse it; draining the body instead would read whatever size a client sends.
     *
     * @param request the request
     * @param response the response, not committed yet
     */
    public static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
    }
}
