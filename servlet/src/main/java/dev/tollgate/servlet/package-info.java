/**
 * Jakarta Servlet 6 adapters for any servlet container (Tomcat, Jetty, Undertow, Dropwizard): the raw-body
 * {@link dev.tollgate.servlet.WebhookServlet}, the billing gate {@link dev.tollgate.servlet.BillingGateFilter}
 * with its {@link dev.tollgate.servlet.TenantResolver}, the {@link dev.tollgate.servlet.HealthServlet}, and
 * {@link dev.tollgate.servlet.TollgateServlets}, which registers them on a {@code ServletContext} in a few lines.
 *
 * <p>Every answer is the body the framework-neutral types produce: {@link dev.tollgate.webhooks.WebhookResult#toJson()},
 * {@link dev.tollgate.billing.DenialResponse}, {@link dev.tollgate.health.HealthResponse}; the same bytes the Spring
 * Boot starter and the Jakarta REST adapters write.
 */
@NullMarked
package dev.tollgate.servlet;

import org.jspecify.annotations.NullMarked;
