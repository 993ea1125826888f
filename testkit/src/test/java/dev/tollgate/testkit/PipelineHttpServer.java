package dev.tollgate.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/** A JDK HttpServer on 127.0.0.1 and a free port: {@code POST /webhooks/<provider>} goes to a pipeline. */
final class PipelineHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    PipelineHttpServer(BiFunction<String, WebhookRequest, WebhookResult> pipeline) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/webhooks/", exchange -> {
            try (exchange) {
                String provider = exchange.getRequestURI().getPath().substring("/webhooks/".length());
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                WebhookResult result = pipeline.apply(provider,
                        WebhookRequest.ofMultiValued(exchange.getRequestHeaders(), body));
                respond(exchange, result.httpStatus(), result.toJson());
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    URI url(String provider) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/" + provider);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
