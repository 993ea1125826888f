package dev.tollgate.spring.internal;

import dev.tollgate.health.StartupMarker;
import dev.tollgate.spring.AuthenticationTenantResolver;
import dev.tollgate.spring.HeaderTenantResolver;
import dev.tollgate.spring.TenantResolver;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.TollgateProperties.TenantSource;
import dev.tollgate.spring.TollgateStartupException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ClassUtils;

/**
 * The starter's default {@link TenantResolver}, chosen from {@code tollgate.billing.tenant.*} and the class path:
 * Spring Security's authentication when it is there, a header only when asked for explicitly, and a start-up failure
 * that says how to choose when neither applies. Also the start-up marker that says which source is in effect.
 */
public final class TenantSources {

    /** The class whose presence means Spring Security is on the class path. */
    public static final String SPRING_SECURITY = "org.springframework.security.core.context.SecurityContextHolder";

    private static final Logger LOG = LoggerFactory.getLogger("dev.tollgate.spring");

    private TenantSources() {
    }

    /**
     * Builds the default resolver.
     *
     * @param tenant the {@code tollgate.billing.tenant.*} properties
     * @param classLoader the application's class loader, where Spring Security is looked for
     * @return the resolver
     * @throws TollgateStartupException {@link TollgateStartupException.Reason#NO_TENANT_SOURCE} when nothing says
     *     where the tenant comes from; {@link TollgateStartupException.Reason#INVALID_CONFIGURATION} when the source
     *     chosen cannot work (authentication without Spring Security, a blank claim or header name)
     */
    public static TenantResolver defaultResolver(TollgateProperties.Tenant tenant, @Nullable ClassLoader classLoader) {
        boolean security = ClassUtils.isPresent(SPRING_SECURITY, classLoader);
        TenantSource source = tenant.getSource();
        if (source == null) {
            if (!security) {
                throw new TollgateStartupException(TollgateStartupException.Reason.NO_TENANT_SOURCE, List.of(
                        "the billing gate cannot tell which tenant a request belongs to: nothing the client cannot"
                                + " forge says so. Choose one: add Spring Security (spring-boot-starter-security; the"
                                + " tenant is then the authenticated principal's '" + tenant.getClaim() + "' claim, see"
                                + " tollgate.billing.tenant.claim, or its name with tollgate.billing.tenant.source="
                                + "principal-name); define a TenantResolver bean; or set"
                                + " tollgate.billing.tenant.source=header (header tollgate.billing.tenant.header, now "
                                + tenant.getHeader() + ") only when a trusted proxy sets that header and removes it"
                                + " from client requests. Or turn billing off: tollgate.billing.enabled=false"));
            }
            source = TenantSource.AUTHENTICATION;
        }
        switch (source) {
            case HEADER -> {
                if (tenant.getHeader() == null || tenant.getHeader().isBlank()) {
                    throw invalid("tollgate.billing.tenant.header must name a header when"
                            + " tollgate.billing.tenant.source=header, but was blank");
                }
                LOG.warn("billing gate: the tenant comes from the {} request header (tollgate.billing.tenant.source="
                        + "header). Any client can send any tenant id in it: run this only behind a trusted proxy that"
                        + " sets the header from the caller's authentication and removes it from client requests",
                        tenant.getHeader());
                return new HeaderTenantResolver(tenant.getHeader());
            }
            case AUTHENTICATION, PRINCIPAL_NAME -> {
                if (!security) {
                    throw invalid("tollgate.billing.tenant.source=" + source.name().toLowerCase(Locale.ROOT)
                            .replace('_', '-') + " needs Spring Security on the class path (spring-boot-starter-security)"
                            + ": add it, define a TenantResolver bean, or choose tollgate.billing.tenant.source=header"
                            + " behind a trusted proxy");
                }
                if (source == TenantSource.PRINCIPAL_NAME) {
                    return AuthenticationTenantResolver.principalName();
                }
                if (tenant.getClaim() == null || tenant.getClaim().isBlank()) {
                    throw invalid("tollgate.billing.tenant.claim must name the claim or attribute holding the tenant"
                            + " id (such as tenant_id), but was blank");
                }
                return AuthenticationTenantResolver.claim(tenant.getClaim());
            }
            default -> throw new IllegalStateException("unknown tenant source " + source);
        }
    }

    private static TollgateStartupException invalid(String problem) {
        return new TollgateStartupException(TollgateStartupException.Reason.INVALID_CONFIGURATION, List.of(problem));
    }

    /**
     * The marker {@code tollgate.billing.tenant source=…} (with {@code claim=…} or {@code header=…}), written once the
     * application is ready.
     *
     * @param resolvers the resolver in effect, {@code null} when there is none (nothing is written then)
     * @return the listener
     */
    public static ApplicationListener<ApplicationReadyEvent> marker(Supplier<@Nullable TenantResolver> resolvers) {
        return event -> {
            TenantResolver resolver = resolvers.get();
            if (resolver == null) {
                return;
            }
            try {
                StartupMarker marker = StartupMarker.of("billing", "tenant");
                if (resolver instanceof HeaderTenantResolver header) {
                    marker = marker.with("source", "header").with("header", header.header())
                            .with("trusted_proxy", "required");
                } else if (isAuthentication(resolver)) {
                    String claim = ((AuthenticationTenantResolver) resolver).claimName();
                    marker = claim == null ? marker.with("source", "principal-name")
                            : marker.with("source", "authentication").with("claim", claim);
                } else {
                    marker = marker.with("source", "custom");
                }
                marker.log();
            } catch (IllegalArgumentException e) {
                LOG.warn("start-up marker tollgate.billing.tenant not written: the header or claim name is not a short token");
            }
        };
    }

    private static boolean isAuthentication(TenantResolver resolver) {
        // by name: AuthenticationTenantResolver must not be loaded in an application without Spring Security
        return resolver.getClass().getName().equals("dev.tollgate.spring.AuthenticationTenantResolver");
    }
}
