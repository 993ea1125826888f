package dev.tollgate.examples.adapters;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.DenialResponse;
import dev.tollgate.billing.OperationClass;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Applies a {@link BillingGate} to the requests a servlet container routes through it: the tenant comes
 * from the {@code X-Tenant-Id} header, the operation class from the method (GET, HEAD and OPTIONS read;
 * anything else writes). A denied request gets the gate's 402 (or 503) body and never reaches the servlet.
 *
 * <pre>{@code
 * FilterRegistration.Dynamic gate = servletContext.addFilter("billingGate", new BillingGateServletFilter(gate));
 * gate.addMappingForUrlPatterns(null, false, "/api/v1/*");
 * }</pre>
 *
 * <p>Copy this file into your service and replace {@link #tenantOf(HttpServletRequest)} with your own tenant
 * lookup (from the authenticated principal rather than a header a client can set). Non-HTTP requests pass
 * through untouched. Thread-safe.
 */
public class BillingGateServletFilter implements Filter {

    /** The request header the tenant id is read from. */
    public static final String TENANT_HEADER = "X-Tenant-Id";

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String TENANT_REQUIRED = "{\"error\":\"tenant_required\",\"message\":\"Send the tenant id in the "
            + TENANT_HEADER + " header.\"}";

    private final BillingGate gate;

    /**
     * Creates the filter.
     *
     * @param gate the gate that decides
     */
    public BillingGateServletFilter(BillingGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        String tenant = tenantOf(http);
        if (tenant == null) {
            send(out, 400, "application/json", TENANT_REQUIRED);
            return;
        }
        BillingDecision decision = gate.check(tenant, operationOf(http.getMethod()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        String accept = http.getHeader("Accept");
        DenialResponse denial = accept != null && accept.toLowerCase(Locale.ROOT).contains(PROBLEM_JSON)
                ? DenialResponse.problem(decision, http.getRequestURI())
                : DenialResponse.json(decision);
        send(out, denial.status(), denial.contentType(), denial.body());
    }

    /**
     * Finds the tenant of a request. Override it to read the tenant from your authentication.
     *
     * @param request the request
     * @return the tenant id, or {@code null} when the request names none (answered 400)
     */
    protected @Nullable String tenantOf(HttpServletRequest request) {
        String tenant = request.getHeader(TENANT_HEADER);
        return tenant == null || tenant.isBlank() ? null : tenant.strip();
    }

    /**
     * Maps an HTTP method to the operation class the gate decides on.
     *
     * @param method the request method
     * @return {@link OperationClass#READ} for GET, HEAD and OPTIONS, else {@link OperationClass#WRITE}
     */
    public static OperationClass operationOf(String method) {
        return switch (Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD", "OPTIONS" -> OperationClass.READ;
            default -> OperationClass.WRITE;
        };
    }

    private static void send(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(body);
        response.flushBuffer();
    }
}
