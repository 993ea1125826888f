package dev.tollgate.jaxrs.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.DenialResponse;
import dev.tollgate.webhooks.WebhookResult;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Builds the adapters' responses: status, content type, {@code Cache-Control: no-store}, the bytes as given. */
public final class JsonResponses {

    /** The content type of RFC 9457 problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The content type of every other answer. */
    public static final String JSON = "application/json";

    private JsonResponses() {
    }

    /**
     * A response with these exact bytes.
     *
     * @param status the status
     * @param contentType the content type
     * @param body the body
     * @return the response
     */
    public static Response of(int status, String contentType, byte[] body) {
        return Response.status(status).type(contentType).header("Cache-Control", "no-store").entity(body).build();
    }

    /**
     * The webhook pipeline's answer.
     *
     * @param result the result
     * @return the response
     */
    public static Response of(WebhookResult result) {
        return of(result.httpStatus(), JSON, result.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A gate denial: {@link DenialResponse#json}, or {@link DenialResponse#problem} when an {@code Accept} value names
     * {@code application/problem+json}.
     *
     * @param decision a denial
     * @param accept the request's {@code Accept} values
     * @param path the request path (the problem's instance)
     * @return the response
     */
    public static Response denial(BillingDecision decision, @Nullable List<String> accept, String path) {
        boolean problem = false;
        if (accept != null) {
            for (String value : accept) {
                problem |= value.toLowerCase(Locale.ROOT).contains(PROBLEM_JSON);
            }
        }
        DenialResponse denial = problem ? DenialResponse.problem(decision, path) : DenialResponse.json(decision);
        return of(denial.status(), denial.contentType(), denial.body().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * For an answer given without reading the request's body: adds {@code Connection: close} when the request has one,
     * so that the client does not reuse a connection the server cannot keep (draining the body instead would read
     * whatever size a client sends).
     *
     * @param response the answer
     * @param contentLength the request's declared length, -1 when unknown
     * @param transferEncoding the request's {@code Transfer-Encoding}, or {@code null}
     * @return the answer, closing the connection when the request has a body
     */
    public static Response closingIfBodyUnread(Response response, long contentLength, @Nullable String transferEncoding) {
        if (contentLength > 0 || transferEncoding != null) {
            return Response.fromResponse(response).header("Connection", "close").build();
        }
        return response;
    }

    /**
     * The 400 answer to a gated request without a tenant, as the Spring Boot starter writes it.
     *
     * @param hint how a client supplies the tenant
     * @return {@code {"error":"tenant_required","message":"This operation needs a tenant: <hint>"}}
     */
    public static byte[] tenantRequired(String hint) {
        return ("{\"error\":\"tenant_required\",\"message\":\"This operation needs a tenant: "
                + new String(JsonStringEncoder.getInstance().quoteAsString(hint)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
