package dev.tollgate.jaxrs.internal;

import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/** {@code /health}, {@code /health/ready}, {@code /health/live}: {@link HealthEndpoints}' answers, byte for byte. */
@Path("health{path: (?:/.*)?}")
public final class HealthResource {

    private static final byte[] METHOD_NOT_ALLOWED = "{\"error\":\"method_not_allowed\",\"message\":\"Use GET or HEAD.\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final HealthEndpoints endpoints;

    /** @param endpoints the endpoints */
    public HealthResource(HealthEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * @param path below {@code /health}: empty, {@code /ready}, {@code /live}; anything else is 404 {@code not_found}
     * @return the probe's answer
     */
    @GET
    public Response probe(@PathParam("path") String path) {
        return respond(endpoints.handle("/health" + path));
    }

    /**
     * @param headers the request headers
     * @return 405
     */
    @POST
    public Response post(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    /**
     * @param headers the request headers
     * @return 405
     */
    @PUT
    public Response put(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    /**
     * @param headers the request headers
     * @return 405
     */
    @DELETE
    public Response delete(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    /**
     * @param headers the request headers
     * @return 405
     */
    @PATCH
    public Response patch(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    private static Response methodNotAllowed(HttpHeaders headers) {
        Response answer = Response.fromResponse(JsonResponses.of(405, JsonResponses.JSON, METHOD_NOT_ALLOWED))
                .header("Allow", "GET, HEAD").build();
        return JsonResponses.closingIfBodyUnread(answer, headers.getLength(), headers.getHeaderString("Transfer-Encoding"));
    }

    private static Response respond(HealthResponse answer) {
        return JsonResponses.of(answer.statusCode(), answer.contentType(), answer.body());
    }
}
