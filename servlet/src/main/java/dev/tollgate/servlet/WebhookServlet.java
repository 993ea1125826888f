package dev.tollgate.servlet;

import dev.tollgate.servlet.internal.BoundedBody;
import dev.tollgate.servlet.internal.JsonAnswers;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint: hands the raw body bytes the provider signed (no charset decoding, no form parsing) and every
 * header to a {@link WebhookPipeline} (or an {@link AsyncWebhookPipeline}) and writes its {@link WebhookResult}
 * as it is: {@code 200 {"status":"processed","event_id":…}}, {@code 200 {"status":"skipped","reason":"already_processed",…}},
 * {@code 400/401 {"status":"rejected","reason":…}}, 503 while the database is down.
 *
 * <pre>{@code
 * WebhookServlet stripe = WebhookServlet.builder(pipeline).provider("stripe").build();   // POST /webhooks/stripe
 * WebhookServlet any = WebhookServlet.builder(pipeline).build();  // mapped to /webhooks/*: the provider is the path
 * }</pre>
 *
 * <p>The body is read only up to {@link Builder#maxBodyBytes(int)} (default 1 MiB, the pipeline's default):
 * a larger declared {@code Content-Length} is answered 413 {@code body_too_large} before a byte is read, a larger
 * chunked body as soon as one byte more than the limit has arrived; the rest is never buffered. Any other method
 * than POST is answered 405 {@code method_not_allowed} with {@code Allow: POST}. Thread-safe.
 */
public final class WebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int MAX_PROVIDER_LENGTH = 100;

    private final transient BiFunction<String, WebhookRequest, WebhookResult> intake;
    /** The provider this servlet serves, or {@code null} when the provider is the last path segment. */
    private final @Nullable String provider;
    /** The largest request body read, in bytes; a larger one is refused with 413. */
    private final int maxBodyBytes;

    private WebhookServlet(BiFunction<String, WebhookRequest, WebhookResult> intake, @Nullable String provider,
                           int maxBodyBytes) {
        this.intake = intake;
        this.provider = provider;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Starts building a servlet for a synchronous pipeline.
     *
     * @param pipeline the pipeline
     * @return a builder
     */
    public static Builder builder(WebhookPipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return new Builder(pipeline::handle);
    }

    /**
     * Starts building a servlet for an asynchronous pipeline (answers {@code queued}; run its worker).
     *
     * @param pipeline the pipeline
     * @return a builder
     */
    public static Builder builder(AsyncWebhookPipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return new Builder(pipeline::handle);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            JsonAnswers.closeIfBodyUnread(request, response);
            write(request, response, WebhookResult.rejected(405, "method_not_allowed"));
            return;
        }
        String target = provider != null ? provider : providerFromPath(request.getPathInfo());
        if (target == null) {
            JsonAnswers.closeIfBodyUnread(request, response);
            write(request, response, WebhookResult.rejected(404, "unknown_provider"));
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        byte[] body = BoundedBody.readAtMost(request.getInputStream(), maxBodyBytes, declared);
        if (body.length > maxBodyBytes) {
            tooLarge(request, response);
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        write(request, response, intake.apply(target, WebhookRequest.ofMultiValued(headers, body)));
    }

    private static @Nullable String providerFromPath(@Nullable String pathInfo) {
        if (pathInfo == null || pathInfo.length() < 2) {
            return null;
        }
        String name = pathInfo.substring(1);
        return name.length() > MAX_PROVIDER_LENGTH || name.indexOf('/') >= 0 ? null : name;
    }

    private static void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The unread rest of the body is not drained: the connection closes after the answer.
        response.setHeader("Connection", "close");
        write(request, response, WebhookResult.rejected(413, "body_too_large"));
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, WebhookResult result)
            throws IOException {
        JsonAnswers.write(request, response, result.httpStatus(), JsonAnswers.JSON,
                result.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "WebhookServlet[" + (provider == null ? "provider from path" : provider) + ", max " + maxBodyBytes
                + " bytes]";
    }

    /** Configures a {@link WebhookServlet}; {@link #build()} reports every problem at once. */
    public static final class Builder {

        private final BiFunction<String, WebhookRequest, WebhookResult> intake;
        private @Nullable String provider;
        private int maxBodyBytes = StripeVerifier.DEFAULT_MAX_BODY_BYTES;

        private Builder(BiFunction<String, WebhookRequest, WebhookResult> intake) {
            this.intake = intake;
        }

        /**
         * The provider every request of this servlet is for, as registered with the pipeline's verifier
         * ({@code stripe}, {@code revenuecat}, …). Without it the provider is the path below the servlet's mapping:
         * mapped to {@code /webhooks/*}, {@code POST /webhooks/stripe} is for {@code stripe}.
         *
         * @param provider the provider name, 1 to 100 characters
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * The largest body read (default 1 MiB). Keep it at or below the pipeline's
         * {@link WebhookPipeline.Builder#maxBodyBytes(int)}: the pipeline refuses larger bodies anyway.
         *
         * @param maxBodyBytes 1 to {@code Integer.MAX_VALUE - 1}
         * @return this builder
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Builds the servlet.
         *
         * @return the servlet
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public WebhookServlet build() {
            List<String> problems = new ArrayList<>();
            if (provider != null && (provider.isBlank() || provider.length() > MAX_PROVIDER_LENGTH)) {
                problems.add("provider must be a name of 1 to " + MAX_PROVIDER_LENGTH + " characters, as the pipeline's"
                        + " verifier is registered under, but had " + provider.length() + " characters");
            }
            if (maxBodyBytes < 1 || maxBodyBytes == Integer.MAX_VALUE) {
                problems.add("maxBodyBytes must be 1 to " + (Integer.MAX_VALUE - 1) + ", but was " + maxBodyBytes);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid webhook servlet: " + String.join("; ", problems));
            }
            return new WebhookServlet(intake, provider, maxBodyBytes);
        }
    }
}
