package dev.tollgate.spring.internal;

import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One provider's webhook endpoint. A plain servlet, outside Spring MVC: the body is read as the raw bytes
 * the provider signed (no message converter, no charset decoding), at most {@code maxBodyBytes + 1} of
 * them, and handed to the pipeline with every header.
 */
public final class WebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient WebhookPipeline pipeline;
    private final String provider;
    private final int maxBodyBytes;

    /**
     * @param pipeline the pipeline
     * @param provider the provider name the verifier is registered under
     * @param maxBodyBytes the pipeline's body limit; one byte more is read so that it can answer 413
     */
    public WebhookServlet(WebhookPipeline pipeline, String provider, int maxBodyBytes) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = readAtMost(request.getInputStream(), maxBodyBytes + 1L);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        WebhookResult result = pipeline.handle(provider, WebhookRequest.ofMultiValued(headers, body));
        byte[] json = result.toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(result.httpStatus());
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long remaining = limit;
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

    @Override
    public String toString() {
        return "WebhookServlet[" + provider + "]";
    }
}
