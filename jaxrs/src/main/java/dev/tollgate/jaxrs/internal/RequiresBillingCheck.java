package dev.tollgate.jaxrs.internal;

import dev.tollgate.billing.OperationClass;
import dev.tollgate.jaxrs.RequiresBilling;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;

/**
 * Checks every {@link RequiresBilling} resource method when the application is deployed: a malformed operation class
 * name fails the deployment, naming the method, instead of failing each request.
 */
public final class RequiresBillingCheck implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null || type == null) {
            return;
        }
        RequiresBilling annotation = method.getAnnotation(RequiresBilling.class);
        if (annotation == null) {
            annotation = type.getAnnotation(RequiresBilling.class);
        }
        if (annotation == null || annotation.operation().isEmpty()) {
            return;
        }
        try {
            OperationClass.of(annotation.operation());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@RequiresBilling on " + type.getName() + "#" + method.getName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "RequiresBillingCheck";
    }
}
