package dev.tollgate.jaxrs.internal;

import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiFunction;

/**
 * {@code POST /webhooks/{provider}}: the raw body bytes, read up to the limit, and every header to the pipeline; its
 * result as it is.
 */
@Path("webhooks/{provider}")
public final class WebhookResource {

    private final BiFunction<String, WebhookRequest, WebhookResult> intake;
    private final int maxBodyBytes;

    /**
     * @param intake the pipeline's {@code handle}
     * @param maxBodyBytes the largest body read
     */
    public WebhookResource(BiFunction<String, WebhookRequest, WebhookResult> intake, int maxBodyBytes) {
        this.intake = intake;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Handles one delivery.
     *
     * @param provider the provider named by the path
     * @param headers the request headers
     * @param body the raw body
     * @return the pipeline's answer
     * @throws IOException if the body cannot be read
     */
    @POST
    public Response deliver(@PathParam("provider") String provider, @Context HttpHeaders headers, InputStream body)
            throws IOException {
        if (headers.getLength() > maxBodyBytes) {
            return tooLarge();
        }
        byte[] bytes = readAtMost(body, maxBodyBytes);
        if (bytes.length > maxBodyBytes) {
            return tooLarge();
        }
        return JsonResponses.of(intake.apply(provider, WebhookRequest.ofMultiValued(headers.getRequestHeaders(), bytes)));
    }

    /**
     * @param headers the request headers
     * @return 405 {@code method_not_allowed}
     */
    @GET
    public Response get(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    /**
     * @param headers the request headers
     * @return 405 {@code method_not_allowed}
     */
    @PUT
    public Response put(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    /**
     * @param headers the request headers
     * @return 405 {@code method_not_allowed}
     */
    @DELETE
    public Response delete(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    /**
     * @param headers the request headers
     * @return 405 {@code method_not_allowed}
     */
    @PATCH
    public Response patch(@Context HttpHeaders headers) {
        return methodNotAllowed(headers);
    }

    private static Response methodNotAllowed(HttpHeaders headers) {
        Response answer = Response.fromResponse(JsonResponses.of(WebhookResult.rejected(405, "method_not_allowed")))
                .header("Allow", "POST").build();
        return JsonResponses.closingIfBodyUnread(answer, headers.getLength(), headers.getHeaderString("Transfer-Encoding"));
    }

    private static Response tooLarge() {
        // The unread rest of the body is not drained: the connection closes after the answer.
        return Response.fromResponse(JsonResponses.of(WebhookResult.rejected(413, "body_too_large")))
                .header("Connection", "close").build();
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        long remaining = limit + 1L;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
        return out.toByteArray();
    }
}
