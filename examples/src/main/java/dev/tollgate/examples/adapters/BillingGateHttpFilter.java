package dev.tollgate.examples.adapters;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.DenialResponse;
import dev.tollgate.billing.OperationClass;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Applies a {@link BillingGate} to every request of a JDK {@code HttpServer} context: the tenant comes
 * from the {@code X-Tenant-Id} header, the operation class from the method (GET, HEAD and OPTIONS read;
 * anything else writes). A denied request gets the gate's 402 (or 503) body and never reaches the handler.
 *
 * <pre>{@code
 * HttpContext context = server.createContext("/api/v1/solver/", solverHandler);
 * context.getFilters().add(new BillingGateHttpFilter(gate));
 * }</pre>
 *
 * <p>Copy this file into your service and replace {@link #tenantOf(HttpExchange)} with your own tenant
 * lookup (from the authenticated principal rather than a header a client can set). Thread-safe.
 */
public class BillingGateHttpFilter extends Filter {

    /** The request header the tenant id is read from. */
    public static final String TENANT_HEADER = "X-Tenant-Id";

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final byte[] TENANT_REQUIRED = ("{\"error\":\"tenant_required\",\"message\":\"Send the tenant id in the "
            + TENANT_HEADER + " header.\"}").getBytes(StandardCharsets.UTF_8);

    private final BillingGate gate;

    /**
     * Creates the filter.
     *
     * @param gate the gate that decides
     */
    public BillingGateHttpFilter(BillingGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String tenant = tenantOf(exchange);
        if (tenant == null) {
            send(exchange, 400, "application/json", TENANT_REQUIRED);
            return;
        }
        BillingDecision decision = gate.check(tenant, operationOf(exchange.getRequestMethod()));
        if (decision.allowed()) {
            chain.doFilter(exchange);
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        DenialResponse denial = accept != null && accept.toLowerCase(Locale.ROOT).contains(PROBLEM_JSON)
                ? DenialResponse.problem(decision, exchange.getRequestURI().getRawPath())
                : DenialResponse.json(decision);
        send(exchange, denial.status(), denial.contentType(), denial.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Finds the tenant of a request. Override it to read the tenant from your authentication.
     *
     * @param exchange the request
     * @return the tenant id, or {@code null} when the request names none (answered 400)
     */
    protected @Nullable String tenantOf(HttpExchange exchange) {
        String tenant = exchange.getRequestHeaders().getFirst(TENANT_HEADER);
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

    @Override
    public String description() {
        return "Tollgate billing gate (tenant from " + TENANT_HEADER + ")";
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }
}
