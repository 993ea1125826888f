package dev.tollgate.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tenant of an HTTP request for the billing gate. Define a bean of this type to replace the
 * default {@link HeaderTenantResolver} (header {@code X-Tenant-Id}), for example to read the tenant from
 * the authenticated principal:
 *
 * <pre>{@code
 * @Bean
 * TenantResolver tenantResolver() {
 *     return request -> request.getUserPrincipal() instanceof JwtAuthenticationToken jwt
 *             ? jwt.getToken().getClaimAsString("tenant_id") : null;
 * }
 * }</pre>
 *
 * <p>Tenant ids are opaque text. Trust only what your authentication vouches for: a header set by the
 * client is fine behind a gateway that sets it, not on the open internet.
 */
@FunctionalInterface
public interface TenantResolver {

    /**
     * Resolves the tenant.
     *
     * @param request the request
     * @return the tenant id, or {@code null} (or blank) when the request carries none
     */
    @Nullable String resolve(HttpServletRequest request);
}
