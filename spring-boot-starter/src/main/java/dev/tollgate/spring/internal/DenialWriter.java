package dev.tollgate.spring.internal;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.DenialResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;

/** Writes the gate's answers: DESIGN.md's 402 body, as problem+json when the request accepts it. */
final class DenialWriter {

    static final String PROBLEM_JSON = "application/problem+json";

    private DenialWriter() {
    }

    static void deny(HttpServletRequest request, HttpServletResponse response, BillingDecision decision)
            throws IOException {
        DenialResponse denial = acceptsProblem(request)
                ? DenialResponse.problem(decision, request.getRequestURI())
                : DenialResponse.json(decision);
        write(response, denial.status(), denial.contentType(), denial.body());
    }

    static void tenantRequired(HttpServletResponse response, String how) throws IOException {
        write(response, 400, "application/json", "{\"error\":\"tenant_required\",\"message\":\"This operation needs"
                + " a tenant: " + how.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    static boolean acceptsProblem(HttpServletRequest request) {
        for (String accept : Collections.list(request.getHeaders("Accept"))) {
            if (accept.toLowerCase(Locale.ROOT).contains(PROBLEM_JSON)) {
                return true;
            }
        }
        return false;
    }

    private static void write(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
