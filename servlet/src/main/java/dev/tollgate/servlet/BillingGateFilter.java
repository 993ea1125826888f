package dev.tollgate.servlet;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.EnforcementMode;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.servlet.internal.JsonAnswers;
import dev.tollgate.servlet.internal.OperationRules;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Puts a {@link BillingGate} in front of the requests a servlet container routes through it: the runbook's "set
 * the tenant to past_due, call a write API → 402".
 *
 * <pre>{@code
 * BillingGateFilter filter = BillingGateFilter.builder(gate)
 *         .tenantResolver(TenantResolver.header("X-Tenant-Id"))            // or from your authentication
 *         .operation("POST", "/api/v1/exports", OperationClass.of("export")) // optional rules
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li>The operation class comes from an {@linkplain Builder#operation(String, String, OperationClass) explicit
 *       rule} for the method and path, else from the method: GET, HEAD and OPTIONS read, every other method
 *       writes.</li>
 *   <li>A denial is answered with the body of {@link dev.tollgate.billing.DenialResponse#json} (402, or 503), or
 *       RFC 9457 {@code application/problem+json} when the {@code Accept} header asks for it, and the request never
 *       reaches the servlet.</li>
 *   <li>No tenant: 400 {@code {"error":"tenant_required",…}}. A tenant id of more than 255 characters or with
 *       control characters ({@link BillingGate#validTenantId(String)}): 400 {@code tenant_invalid}, never looked
 *       up.</li>
 *   <li>Report-only: when the gate's {@link EnforcementMode} is {@code report-only}, a request the policy would
 *       deny passes (the gate logs and counts it). Every request that passes carries the decision in the request
 *       attribute {@link #DECISION_ATTRIBUTE}, so the application can show a "payment overdue" banner.</li>
 * </ul>
 *
 * <p>Map it after your authentication filter when the tenant comes from the login
 * ({@link TollgateServlets#billingGate(BillingGateFilter, String...)} does). Non-HTTP requests pass untouched.
 * Thread-safe.
 */
public final class BillingGateFilter implements Filter {

    /** The request attribute holding the {@link BillingDecision} of a request that passed the gate. */
    public static final String DECISION_ATTRIBUTE = BillingDecision.class.getName();

    private final BillingGate gate;
    private final TenantResolver tenants;
    private final OperationRules operations;
    private final byte[] tenantRequired;

    private BillingGateFilter(BillingGate gate, TenantResolver tenants, OperationRules operations) {
        this.gate = gate;
        this.tenants = tenants;
        this.operations = operations;
        this.tenantRequired = JsonAnswers.tenantRequired(tenants.hint()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts building a filter for a gate.
     *
     * @param gate the gate that decides
     * @return a builder
     */
    public static Builder builder(BillingGate gate) {
        return new Builder(Objects.requireNonNull(gate, "gate"));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        String tenant = tenants.resolve(http);
        if (tenant == null || tenant.isBlank()) {
            JsonAnswers.closeIfBodyUnread(http, out);
            JsonAnswers.write(http, out, 400, JsonAnswers.JSON, tenantRequired);
            return;
        }
        // The gate refuses an invalid id (BillingGate.validTenantId) with its 400 tenant_invalid decision.
        BillingDecision decision = gate.check(tenant, operationOf(http));
        if (!decision.allowed()) {
            JsonAnswers.deny(http, out, decision);
            return;
        }
        http.setAttribute(DECISION_ATTRIBUTE, decision);
        chain.doFilter(request, response);
    }

    private OperationClass operationOf(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? request.getServletPath() : request.getServletPath() + pathInfo;
        return operations.operationOf(request.getMethod(), path);
    }

    @Override
    public String toString() {
        return "BillingGateFilter[" + tenants + "]";
    }

    /** Configures a {@link BillingGateFilter}; {@link #build()} reports every problem at once. */
    public static final class Builder {

        private final BillingGate gate;
        private @Nullable TenantResolver tenants;
        private boolean tenantsGivenTwice;
        private final OperationRules.Builder operations = new OperationRules.Builder();

        private Builder(BillingGate gate) {
            this.gate = gate;
        }

        /**
         * Where the tenant of a request comes from. Required: there is no default, so that no client-set header is
         * trusted by accident.
         *
         * @param resolver the resolver, such as {@link TenantResolver#header(String)}
         * @return this builder
         */
        public Builder tenantResolver(TenantResolver resolver) {
            Objects.requireNonNull(resolver, "resolver");
            tenantsGivenTwice |= tenants != null;
            this.tenants = resolver;
            return this;
        }

        /**
         * Gates one method and path as an operation class of your policy instead of read/write by method.
         *
         * @param method the HTTP method, such as {@code POST}
         * @param path the path within the application: {@code /api/v1/exports} (exact) or {@code /api/v1/admin/*}
         *     (that path and everything under it; the longest prefix wins, an exact rule before any prefix)
         * @param operation the operation class
         * @return this builder
         */
        public Builder operation(String method, String path, OperationClass operation) {
            operations.add(Objects.requireNonNull(method, "method"), Objects.requireNonNull(path, "path"),
                    Objects.requireNonNull(operation, "operation"));
            return this;
        }

        /**
         * Builds the filter.
         *
         * @return the filter
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public BillingGateFilter build() {
            List<String> problems = new ArrayList<>();
            if (tenants == null) {
                problems.add("tenantResolver is required: say where the tenant comes from, e.g."
                        + " tenantResolver(request -> tenantOf(request.getUserPrincipal())) or, behind a gateway that"
                        + " sets it, tenantResolver(TenantResolver.header(\"X-Tenant-Id\"))");
            }
            if (tenantsGivenTwice) {
                problems.add("tenantResolver was given twice");
            }
            OperationRules rules = operations.build(problems);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid billing gate filter: " + String.join("; ", problems));
            }
            return new BillingGateFilter(gate, Objects.requireNonNull(tenants), rules);
        }
    }
}
