package dev.tollgate.spring.internal;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.spring.RequiresBilling;
import dev.tollgate.spring.TenantResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Checks {@link RequiresBilling} handler methods (or classes) against the gate before they run. */
public final class RequiresBillingInterceptor implements HandlerInterceptor {

    private final BillingGate gate;
    private final TenantResolver tenants;
    private final String tenantHint;

    /**
     * @param gate the gate
     * @param tenants the tenant resolver
     * @param tenantHint how a client supplies the tenant, for the 400 message (no values)
     */
    public RequiresBillingInterceptor(BillingGate gate, TenantResolver tenants, String tenantHint) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.tenantHint = Objects.requireNonNull(tenantHint, "tenantHint");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        RequiresBilling required = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequiresBilling.class);
        if (required == null) {
            required = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresBilling.class);
        }
        if (required == null) {
            return true;
        }
        String tenant = tenants.resolve(request);
        if (tenant == null || tenant.isBlank()) {
            DenialWriter.tenantRequired(response, tenantHint);
            return false;
        }
        BillingDecision decision = gate.check(tenant, OperationClass.of(required.operation()));
        if (!decision.allowed()) {
            DenialWriter.deny(request, response, decision);
            return false;
        }
        return true;
    }
}
