package dev.tollgate.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.Set;

/**
 * The application under test: Tollgate's feature and the application's own API, {@code /api/projects} (gated, GET
 * 200, POST 201), {@code /api/checkout} (gated as a purchase) and {@code /api/open} (not gated). A response filter
 * shows the gate's decision in {@code X-Billing-Decision}, as an application would for a "payment overdue" banner.
 */
public final class RunbookApplication extends Application {

    private final Set<Object> singletons;

    /** @param tollgate Tollgate's feature, or its components */
    public RunbookApplication(Set<Object> tollgate) {
        Set<Object> all = new HashSet<>(tollgate);
        all.add(new Projects());
        all.add(new DecisionHeader());
        this.singletons = Set.copyOf(all);
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }

    /** The application's gated API. */
    @Path("api")
    public static final class Projects {

        /** @return 200 */
        @GET
        @Path("projects")
        @RequiresBilling
        public Response list() {
            return Response.ok("{\"projects\":[]}", "application/json").build();
        }

        /** @return 201 */
        @POST
        @Path("projects")
        @RequiresBilling
        public Response create() {
            return Response.status(201).entity("{\"created\":true}").type("application/json").build();
        }

        /** @return 201 */
        @POST
        @Path("checkout")
        @RequiresBilling(operation = RequiresBilling.PURCHASE)
        public Response checkout() {
            return Response.status(201).entity("{\"checkout\":true}").type("application/json").build();
        }

        /** @return 200 */
        @POST
        @Path("open")
        public Response open() {
            return Response.ok("{\"open\":true}", "application/json").build();
        }
    }

    /** Copies the gate's decision into a response header. */
    public static final class DecisionHeader implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            Object decision = request.getProperty(TollgateFeature.DECISION_PROPERTY);
            if (decision != null) {
                response.getHeaders().putSingle("X-Billing-Decision", decision.toString());
            }
        }
    }
}
