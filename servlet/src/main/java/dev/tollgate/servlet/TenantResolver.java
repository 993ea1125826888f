package dev.tollgate.servlet;

import dev.tollgate.servlet.internal.HeaderTenantResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tenant of a request for the {@link BillingGateFilter}. There is no default: choose where the tenant
 * comes from, ideally from what your authentication vouches for.
 *
 * <pre>{@code
 * // from the authenticated principal (set by your authentication filter, which runs first)
 * TenantResolver fromLogin = request -> request.getUserPrincipal() instanceof TenantPrincipal p ? p.tenantId() : null;
 * // from a header, only behind a gateway that sets it and strips what clients send
 * TenantResolver fromGateway = TenantResolver.header("X-Tenant-Id");
 * }</pre>
 *
 * <p>Tenant ids are opaque text. The filter refuses an id longer than
 * {@link dev.tollgate.billing.BillingGate#MAX_TENANT_ID_LENGTH} characters or with control characters with 400
 * {@code tenant_invalid} before any lookup, and a request without a tenant with 400 {@code tenant_required}.
 * Implementations are called on every gated request from many threads: keep them thread-safe and cheap.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * Resolves the tenant of a request.
     *
     * @param request the request
     * @return the tenant id, or {@code null} (or blank) when the request carries none
     */
    @Nullable String resolve(HttpServletRequest request);

    /**
     * How a client supplies the tenant, for the message of the 400 {@code tenant_required} answer. Never include a
     * value from the request.
     *
     * @return a short instruction; by default {@code sign in as a member of a tenant}
     */
    default String hint() {
        return "sign in as a member of a tenant";
    }

    /**
     * A resolver that trusts one request header, trimmed; a blank header is no tenant. A client can set any header:
     * use it only behind a gateway or proxy that sets this header itself and drops the one a client sent.
     *
     * @param name the header name, such as {@code X-Tenant-Id}
     * @return the resolver
     * @throws IllegalArgumentException if the name is blank or not an HTTP header name
     */
    static TenantResolver header(String name) {
        return new HeaderTenantResolver(name);
    }
}
