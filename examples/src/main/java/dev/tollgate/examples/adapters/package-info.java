/**
 * Copyable adapters that put the billing gate in front of an HTTP stack: a {@code jakarta.servlet}
 * {@link jakarta.servlet.Filter} and a JDK {@link com.sun.net.httpserver.Filter}. Each is one file that
 * depends only on {@code tollgate-billing-core} and its HTTP API: copy it into your service and adapt the
 * tenant lookup (here the {@code X-Tenant-Id} header) to your authentication.
 *
 * <p>Both map {@code GET}/{@code HEAD}/{@code OPTIONS} to {@link dev.tollgate.billing.OperationClass#READ}
 * and every other method to {@link dev.tollgate.billing.OperationClass#WRITE}, answer a denial with the
 * exact body of {@link dev.tollgate.billing.DenialResponse#json} (or RFC 9457 problem+json when the
 * {@code Accept} header asks for {@code application/problem+json}), and a request without a tenant with
 * 400 {@code {"error":"tenant_required",…}}.
 */
@NullMarked
package dev.tollgate.examples.adapters;

import org.jspecify.annotations.NullMarked;
