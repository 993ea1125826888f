package dev.tollgate.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.util.ClassUtils;

/**
 * A {@link TenantResolver} that takes the tenant from Spring Security's current {@link Authentication}, never from
 * what the client sends beside it: a request that names another tenant in a header or parameter still gets the
 * decision of the tenant its credentials carry. The starter's default when Spring Security is on the class path
 * ({@code tollgate.billing.tenant.source=authentication}).
 *
 * <ul>
 *   <li>{@link #claim(String)}: a claim of a JWT principal (Spring Security's {@code Jwt}, any {@link ClaimAccessor})
 *       or an attribute of an OAuth2 principal ({@link OAuth2AuthenticatedPrincipal}: OAuth2 and OIDC users,
 *       introspected opaque tokens), such as {@code tenant_id}. A text or number value is the tenant id; anything
 *       else (a list, an object) means no tenant.
 *   <li>{@link #principalName()}: {@link Authentication#getName()}, for services whose users are tenants.
 * </ul>
 *
 * <p>No authentication, an anonymous one or one without the claim means no tenant: {@code @RequiresBilling} then
 * answers 400 {@code tenant_required}, the gate filter lets the request through to the application's own access
 * rules. Requires {@code spring-security-core}; claims also need {@code spring-security-oauth2-core} (both come with
 * {@code spring-boot-starter-security-oauth2-resource-server}).
 *
 * <pre>{@code
 * @Bean
 * TenantResolver tenantResolver() {
 *     return AuthenticationTenantResolver.claim("org_id");
 * }
 * }</pre>
 */
public final class AuthenticationTenantResolver implements TenantResolver {

    /** The default claim or attribute name, {@value}. */
    public static final String DEFAULT_CLAIM = "tenant_id";

    private static final boolean OAUTH2_PRESENT = ClassUtils.isPresent(
            "org.springframework.security.oauth2.core.ClaimAccessor", AuthenticationTenantResolver.class.getClassLoader());

    private final @Nullable String claim;

    private AuthenticationTenantResolver(@Nullable String claim) {
        this.claim = claim;
    }

    /**
     * A resolver reading one claim or attribute of the authenticated principal.
     *
     * @param name the claim or attribute name, such as {@value #DEFAULT_CLAIM}
     * @return the resolver
     * @throws IllegalArgumentException if the name is blank
     */
    public static AuthenticationTenantResolver claim(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the tenant claim name must not be blank");
        }
        return new AuthenticationTenantResolver(name);
    }

    /**
     * A resolver answering the authenticated principal's name.
     *
     * @return the resolver
     */
    public static AuthenticationTenantResolver principalName() {
        return new AuthenticationTenantResolver(null);
    }

    /** @return the claim or attribute name, or {@code null} when this resolver answers the principal's name */
    public @Nullable String claimName() {
        return claim;
    }

    /**
     * Reads the tenant from the current authentication; the request itself is not consulted.
     *
     * @param request the request (unused: the tenant comes from its authentication)
     * @return the tenant id, or {@code null} without an authenticated, non-anonymous principal carrying one
     */
    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        if (claim == null) {
            return blankToNull(authentication.getName());
        }
        if (!OAUTH2_PRESENT) {
            return null;
        }
        Object value = OAuth2Claims.of(authentication.getPrincipal(), claim);
        if (value instanceof String text) {
            return blankToNull(text);
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        return null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return claim == null ? "AuthenticationTenantResolver[principal name]" : "AuthenticationTenantResolver[" + claim + "]";
    }

    /** Kept apart so that this class loads without {@code spring-security-oauth2-core}. */
    private static final class OAuth2Claims {

        static @Nullable Object of(@Nullable Object principal, String name) {
            if (principal instanceof ClaimAccessor claims) {
                return claims.getClaims().get(name);
            }
            if (principal instanceof OAuth2AuthenticatedPrincipal oauth2) {
                return oauth2.getAttributes().get(name);
            }
            return null;
        }
    }
}
