package dev.tollgate.jaxrs.internal;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.jaxrs.RequiresBilling;
import dev.tollgate.jaxrs.TenantResolver;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The gate in front of {@link RequiresBilling} methods. Runs at {@link Priorities#AUTHORIZATION}, after
 * authentication filters, so a tenant taken from the login is there.
 */
@RequiresBilling
@Priority(Priorities.AUTHORIZATION)
public final class BillingGateRequestFilter implements ContainerRequestFilter {

    /** The request property holding the {@link BillingDecision} of a request that passed. */
    public static final String DECISION_PROPERTY = BillingDecision.class.getName();

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BillingGate gate;
    private final TenantResolver tenants;
    private final byte[] tenantRequired;
    private final Map<Method, String> operations = new ConcurrentHashMap<>();

    @Context
    private @Nullable ResourceInfo resource;

    /**
     * @param gate the gate
     * @param tenants where the tenant comes from
     */
    public BillingGateRequestFilter(BillingGate gate, TenantResolver tenants) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.tenantRequired = JsonResponses.tenantRequired(tenants.hint());
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String tenant = tenants.resolve(request);
        if (tenant == null || tenant.isBlank()) {
            abort(request, JsonResponses.of(400, JsonResponses.JSON, tenantRequired));
            return;
        }
        // The gate refuses an invalid id (BillingGate.validTenantId) with its 400 tenant_invalid decision.
        BillingDecision decision = gate.check(tenant, operationOf(request));
        if (!decision.allowed()) {
            abort(request, JsonResponses.denial(decision, request.getHeaders().get("Accept"),
                    request.getUriInfo().getRequestUri().getRawPath()));
            return;
        }
        request.setProperty(DECISION_PROPERTY, decision);
    }

    private static void abort(ContainerRequestContext request, Response answer) {
        request.abortWith(JsonResponses.closingIfBodyUnread(answer, request.getLength(),
                request.getHeaderString("Transfer-Encoding")));
    }

    private OperationClass operationOf(ContainerRequestContext request) {
        String name = RequiresBilling.BY_METHOD;
        ResourceInfo info = resource;
        Method method = info == null ? null : info.getResourceMethod();
        if (method != null) {
            name = operations.computeIfAbsent(method, m -> declared(m, info.getResourceClass()));
        }
        if (name.isEmpty()) {
            return READ_METHODS.contains(request.getMethod()) ? OperationClass.READ : OperationClass.WRITE;
        }
        return OperationClass.of(name);
    }

    private static String declared(Method method, @Nullable Class<?> resourceClass) {
        RequiresBilling annotation = method.getAnnotation(RequiresBilling.class);
        if (annotation == null && resourceClass != null) {
            annotation = resourceClass.getAnnotation(RequiresBilling.class);
        }
        if (annotation == null) {
            return RequiresBilling.BY_METHOD;
        }
        return annotation.operation(); // checked at deployment by RequiresBillingCheck
    }

    @Override
    public String toString() {
        return "BillingGateRequestFilter[" + tenants + "]";
    }
}
