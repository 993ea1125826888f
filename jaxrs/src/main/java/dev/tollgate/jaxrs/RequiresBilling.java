package dev.tollgate.jaxrs;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the billing gate in front of a resource method, or every resource method of a class: a Jakarta REST
 * {@link NameBinding} for the request filter that {@link TollgateFeature} registers. The tenant comes from the
 * feature's {@link TenantResolver}; a tenant whose billing status blocks the operation gets 402 with the body of
 * {@link dev.tollgate.billing.DenialResponse} ({@code application/problem+json} when the request accepts it), and
 * the method never runs.
 *
 * <pre>{@code
 * @POST
 * @Path("projects")
 * @RequiresBilling                                       // a write: POST
 * public Response create(NewProject project) { … }
 *
 * @POST
 * @Path("checkout")
 * @RequiresBilling(operation = RequiresBilling.PURCHASE) // allowed whatever the status, unless purchases are off
 * public Response checkout(Cart cart) { … }
 * }</pre>
 *
 * <p>A request without a tenant gets 400 {@code {"error":"tenant_required",…}}, a tenant id over 255 characters or
 * with control characters 400 {@code {"error":"tenant_invalid",…}}. A method annotation overrides the class's.
 */
@Documented
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresBilling {

    /** The operation class follows the HTTP method: GET, HEAD and OPTIONS read, every other method writes. */
    String BY_METHOD = "";
    /** {@link dev.tollgate.billing.OperationClass#READ}: allowed for most statuses. */
    String READ = "read";
    /** {@link dev.tollgate.billing.OperationClass#WRITE}: refused when the subscription lapsed. */
    String WRITE = "write";
    /** {@link dev.tollgate.billing.OperationClass#PURCHASE}: refused only by the purchases kill switch. */
    String PURCHASE = "purchase";

    /**
     * The operation class checked against the tenant's billing status: {@link #BY_METHOD} (the default),
     * {@link #READ}, {@link #WRITE}, {@link #PURCHASE}, or a class of your own policy
     * ({@link dev.tollgate.billing.OperationClass#of(String) lower-case name}).
     *
     * @return the operation class name, or {@link #BY_METHOD}
     */
    String operation() default BY_METHOD;
}
