/**
 * A copyable adapter that puts the billing gate in front of the JDK {@link com.sun.net.httpserver.HttpServer}: a
 * {@link com.sun.net.httpserver.Filter} in one file that depends only on {@code tollgate-billing-core}. Copy it into
 * your service and adapt the tenant lookup (here the {@code X-Tenant-Id} header) to your authentication. On a
 * servlet container use {@code tollgate-servlet}'s {@code dev.tollgate.servlet.BillingGateFilter}, on Jakarta REST
 * {@code tollgate-jaxrs}'s {@code @RequiresBilling}: both answer with the same bodies.
 *
 * <p>It maps {@code GET}/{@code HEAD}/{@code OPTIONS} to {@link dev.tollgate.billing.OperationClass#READ} and every
 * other method to {@link dev.tollgate.billing.OperationClass#WRITE}, answers a denial with the exact body of
 * {@link dev.tollgate.billing.DenialResponse#json} (or RFC 9457 problem+json when the {@code Accept} header asks for
 * {@code application/problem+json}), and a request without a tenant with 400 {@code {"error":"tenant_required",…}}.
 */
@NullMarked
package dev.tollgate.examples.adapters;

import org.jspecify.annotations.NullMarked;
