package dev.tollgate.jaxrs;

import dev.tollgate.jaxrs.internal.HeaderTenantResolver;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tenant of a request for {@link RequiresBilling} methods. There is no default: choose where the tenant
 * comes from, ideally from what your authentication vouches for.
 *
 * <pre>{@code
 * // from the authenticated principal (your authentication filter runs first: it has a higher priority)
 * TenantResolver fromLogin = request -> request.getSecurityContext().getUserPrincipal() instanceof TenantPrincipal p
 *         ? p.tenantId() : null;
 * // from a header, only behind a gateway that sets it and strips what clients send
 * TenantResolver fromGateway = TenantResolver.header("X-Tenant-Id");
 * }</pre>
 *
 * <p>Tenant ids are opaque text; an id longer than {@link dev.tollgate.billing.BillingGate#MAX_TENANT_ID_LENGTH}
 * characters or with control characters is refused with 400 {@code tenant_invalid} before any lookup. Called on every
 * gated request from many threads: keep implementations thread-safe and cheap.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * Resolves the tenant of a request.
     *
     * @param request the request
     * @return the tenant id, or {@code null} (or blank) when the request carries none
     */
    @Nullable String resolve(ContainerRequestContext request);

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
     * @throws IllegalArgumentException if the name is not an HTTP header name
     */
    static TenantResolver header(String name) {
        return new HeaderTenantResolver(name);
    }
}
