package dev.tollgate.spring.internal;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.spring.TenantResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The gate over URL patterns: GET, HEAD and OPTIONS are {@code read}, every other method {@code write}.
 * A request without a tenant passes (login, sign-up and public pages often share the patterns); gate
 * those with {@code @RequiresBilling} instead when a tenant is mandatory.
 */
public final class BillingGateFilter extends OncePerRequestFilter {

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BillingGate gate;
    private final TenantResolver tenants;

    /**
     * @param gate the gate
     * @param tenants the tenant resolver
     */
    public BillingGateFilter(BillingGate gate, TenantResolver tenants) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String tenant = tenants.resolve(request);
        if (tenant != null && !tenant.isBlank()) {
            OperationClass operation = READ_METHODS.contains(request.getMethod())
                    ? OperationClass.READ : OperationClass.WRITE;
            BillingDecision decision = gate.check(tenant, operation);
            if (!decision.allowed()) {
                DenialWriter.deny(request, response, decision);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
