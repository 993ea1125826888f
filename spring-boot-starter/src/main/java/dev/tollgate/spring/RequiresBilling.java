package dev.tollgate.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the billing gate in front of a Spring MVC controller method (or every handler method of a
 * controller class): the tenant is resolved by the {@link TenantResolver} bean, and a tenant whose billing
 * status blocks the operation gets HTTP 402 with the body of
 * {@link dev.tollgate.billing.DenialResponse} ({@code application/problem+json} when the request accepts
 * it). A request without a tenant gets 400 {@code {"error":"tenant_required"}}.
 *
 * <pre>{@code
 * @PostMapping("/projects")
 * @RequiresBilling(operation = RequiresBilling.WRITE)
 * Project create(@RequestBody NewProject project) { … }
 * }</pre>
 *
 * <p>The operation is the name of a {@link dev.tollgate.billing.OperationClass}: {@link #READ},
 * {@link #WRITE} (the default), {@link #PURCHASE}, or a class of your own policy. A method annotation
 * overrides the class annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresBilling {

    /** {@link dev.tollgate.billing.OperationClass#READ}: allowed for most statuses. */
    String READ = "read";
    /** {@link dev.tollgate.billing.OperationClass#WRITE}: refused when the subscription lapsed. */
    String WRITE = "write";
    /** {@link dev.tollgate.billing.OperationClass#PURCHASE}: refused only by the purchases kill switch. */
    String PURCHASE = "purchase";

    /**
     * The operation class checked against the tenant's billing status.
     *
     * @return the operation class name, {@link #WRITE} unless given
     */
    String operation() default WRITE;
}
