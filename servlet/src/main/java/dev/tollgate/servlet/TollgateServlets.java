package dev.tollgate.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Registers Tollgate's servlets and filter on a {@link ServletContext}, without a {@code ServletContainerInitializer}
 * or classpath scanning: call it where you set up your application, typically in your
 * {@link jakarta.servlet.ServletContextListener#contextInitialized} (declared in {@code web.xml} or with
 * {@code @WebListener}), or on an embedded container's context before it starts.
 *
 * <pre>{@code
 * TollgateServlets.on(servletContext)
 *         .webhooks(WebhookServlet.builder(pipeline).build(), "/webhooks/*")
 *         .billingGate(BillingGateFilter.builder(gate).tenantResolver(tenants).build(), "/api/*")
 *         .health(HealthServlet.of(endpoints));
 * }</pre>
 *
 * <p>Registration names: {@code tollgate-webhooks} (then {@code tollgate-webhooks-2}, …), {@code tollgate-billing-gate},
 * {@code tollgate-health}. A name or URL pattern that is already taken is an {@link IllegalStateException} naming it.
 */
public final class TollgateServlets {

    private final ServletContext context;
    private int webhookServlets;

    private TollgateServlets(ServletContext context) {
        this.context = context;
    }

    /**
     * Starts registering on a context.
     *
     * @param context the application's servlet context, while it is being initialized
     * @return the registrar
     */
    public static TollgateServlets on(ServletContext context) {
        return new TollgateServlets(Objects.requireNonNull(context, "context"));
    }

    /**
     * Maps a webhook servlet.
     *
     * @param servlet the servlet
     * @param urlPatterns where providers post, such as {@code /webhooks/*} (the provider is then the path) or
     *     {@code /webhooks/stripe} for a servlet built with a fixed provider
     * @return this registrar
     * @throws IllegalStateException if a pattern is mapped to another servlet already
     */
    public TollgateServlets webhooks(WebhookServlet servlet, String... urlPatterns) {
        Objects.requireNonNull(servlet, "servlet");
        webhookServlets++;
        String name = webhookServlets == 1 ? "tollgate-webhooks" : "tollgate-webhooks-" + webhookServlets;
        map(name, context.addServlet(name, servlet), urlPatterns);
        return this;
    }

    /**
     * Maps the health servlet to {@code /health/*}: {@code /health}, {@code /health/ready}, {@code /health/live}.
     *
     * @param servlet the servlet
     * @return this registrar
     * @throws IllegalStateException if the pattern is mapped to another servlet already
     */
    public TollgateServlets health(HealthServlet servlet) {
        Objects.requireNonNull(servlet, "servlet");
        map("tollgate-health", context.addServlet("tollgate-health", servlet), new String[] {"/health/*"});
        return this;
    }

    /**
     * Maps the billing gate filter to URL patterns, for requests (not forwards or error pages), after every filter
     * declared in {@code web.xml}, so that your authentication has run when the tenant is resolved.
     *
     * @param filter the filter
     * @param urlPatterns the gated paths, such as {@code /api/*}
     * @return this registrar
     */
    public TollgateServlets billingGate(BillingGateFilter filter, String... urlPatterns) {
        Objects.requireNonNull(filter, "filter");
        checkPatterns(urlPatterns);
        FilterRegistration.Dynamic registration = context.addFilter("tollgate-billing-gate", filter);
        if (registration == null) {
            throw new IllegalStateException("a filter named tollgate-billing-gate is registered already");
        }
        registration.setAsyncSupported(true);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, urlPatterns);
        return this;
    }

    private static void map(String name, ServletRegistration.Dynamic registration, String[] urlPatterns) {
        checkPatterns(urlPatterns);
        if (registration == null) {
            throw new IllegalStateException("a servlet named " + name + " is registered already");
        }
        registration.setAsyncSupported(true);
        Set<String> taken = registration.addMapping(urlPatterns);
        if (!taken.isEmpty()) {
            throw new IllegalStateException(name + ": these URL patterns are mapped to another servlet already: "
                    + taken);
        }
    }

    private static void checkPatterns(String[] urlPatterns) {
        Objects.requireNonNull(urlPatterns, "urlPatterns");
        if (urlPatterns.length == 0) {
            throw new IllegalArgumentException("give at least one URL pattern, such as /api/*");
        }
        for (String pattern : urlPatterns) {
            Objects.requireNonNull(pattern, "urlPatterns contains null");
        }
    }

    @Override
    public String toString() {
        return "TollgateServlets[" + context.getContextPath() + "]";
    }
}
