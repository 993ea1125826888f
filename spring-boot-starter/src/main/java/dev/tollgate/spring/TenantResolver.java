package dev.tollgate.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tenant of an HTTP request for the billing gate. Without a bean of this type the starter chooses one
 * ({@code tollgate.billing.tenant.*}): with Spring Security an {@link AuthenticationTenantResolver} (the
 * authenticated principal's {@code tenant_id} claim), a {@link HeaderTenantResolver} only with
 * {@code tollgate.billing.tenant.source=header}, and otherwise start-up fails. Define a bean to decide yourself,
 * for example from your own session model:
 *
 * <pre>{@code
 * @Bean
 * TenantResolver tenantResolver(Memberships memberships) {
 *     return request -> request.getUserPrincipal() == null ? null
 *             : memberships.currentTenantOf(request.getUserPrincipal().getName());
 * }
 * }</pre>
 *
 * <p>Tenant ids are opaque text; the gate refuses one over 255 characters or with control characters (400
 * {@code tenant_invalid}). Trust only what your authentication vouches for: a header set by the client is fine
 * behind a gateway that sets it, not on the open internet.
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
