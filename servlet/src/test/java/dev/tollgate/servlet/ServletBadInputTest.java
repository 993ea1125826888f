package dev.tollgate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Secret;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.BillingWebhooks;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.TenantBilling;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.testkit.StripeSigner;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What clients get wrong, over HTTP on embedded Jetty 12: missing, blank, over-long and control-character tenant
 * headers, methods nobody serves, malformed and unsigned webhook bodies, unknown providers and probe paths. Every
 * answer is a typed JSON 4xx; none is a 5xx. The services keep their state in memory: nothing here reaches a
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServletBadInputTest {

    private static final String SECRET = "whsec_badInputBadInputBadInput0123456789";
    private static final String TENANT_INVALID = "{\"error\":\"tenant_invalid\",\"message\":\"The tenant id is not valid:"
            + " at most 255 characters, no control characters.\"}";
    private static final String TENANT_REQUIRED = "{\"error\":\"tenant_required\",\"message\":\"This operation needs a"
            + " tenant: send it in the X-Tenant-Id header\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private HealthRegistry registry;
    private JettyApp app;

    @BeforeAll
    void start() throws Exception {
        InMemoryBillingRepository billing = new InMemoryBillingRepository(Clock.systemUTC());
        billing.put(TenantBilling.of("t_active", BillingStatus.ACTIVE, Instant.now()), "test");
        billing.put(TenantBilling.of("t_past_due", BillingStatus.PAST_DUE, Instant.now()), "test");
        BillingGate gate = BillingGate.builder().repository(billing).build();
        WebhookPipeline pipeline = BillingWebhooks.register(WebhookPipeline.builder()
                        .verifier(StripeVerifier.builder().secret(SECRET).build())
                        .store(InMemoryIdempotencyStore.builder().build()),
                BillingEventApplier.ofDefaults(), billing).build();
        registry = HealthRegistry.builder().build();
        app = JettyApp.start(context -> TollgateServlets.on(context)
                .webhooks(WebhookServlet.builder(pipeline).build(), "/webhooks/*")
                .billingGate(BillingGateFilter.builder(gate).tenantResolver(TenantResolver.header("X-Tenant-Id"))
                        .build(), "/api/*")
                .health(HealthServlet.of(HealthEndpoints.builder(registry).build())));
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        registry.close();
    }

    @Test
    void a_missing_or_blank_tenant_is_400_tenant_required() throws Exception {
        HttpResponse<String> missing = send("POST", "/api/projects", null, null);
        assertEquals(400, missing.statusCode());
        assertEquals(TENANT_REQUIRED, missing.body());
        assertJson(missing);
        HttpResponse<String> blank = send("POST", "/api/projects", "   ", null);
        assertEquals(400, blank.statusCode());
        assertEquals(TENANT_REQUIRED, blank.body());
        assertEquals(400, send("GET", "/api/projects", null, null).statusCode(), "reads need a tenant too");
    }

    @Test
    void an_over_long_or_control_character_tenant_is_400_tenant_invalid_as_json_and_problem_json() throws Exception {
        // A tab is the one control character HTTP lets through inside a header value.
        for (String tenant : new String[] {"t".repeat(256), "x".repeat(4000), "t\t1", "tenant\tx"}) {
            for (String method : new String[] {"POST", "GET"}) {
                HttpResponse<String> answer = send(method, "/api/projects", tenant, null);
                assertEquals(400, answer.statusCode(), method + " " + tenant.length() + " chars");
                assertEquals(TENANT_INVALID, answer.body());
                assertJson(answer);
            }
        }
        HttpResponse<String> problem = send("POST", "/api/projects", "t".repeat(256), "application/problem+json");
        assertEquals(400, problem.statusCode());
        assertTrue(problem.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(problem.body());
        assertEquals("https://tollgate.dev/problems/tenant-invalid", body.get("type").asText());
        assertEquals("tenant_invalid", body.get("error").asText());
        assertEquals(400, body.get("status").asInt());
    }

    @Test
    void a_raw_control_byte_in_the_tenant_header_is_refused_400_by_the_container_before_the_filter() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant-Id: a\u0001b\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
    }

    @Test
    void an_answer_given_before_the_body_arrived_tells_the_client_the_connection_closes() throws Exception {
        // Half of a declared body: the container cannot drain the rest, so it must not keep the connection, and says so
        // (a client reusing it would otherwise read nothing on its next request).
        for (String request : new String[] {
                "PUT /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"id\":",
                "POST /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"id\":",
                "POST /webhooks/a/b HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"id\":",
                "POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"a\":",
                "POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant-Id: t_past_due\r\nContent-Length: 10\r\n\r\n{\"a\":"}) {
            try (Socket socket = new Socket("127.0.0.1", app.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                String answer = readAnswer(socket.getInputStream());
                assertTrue(answer.matches("(?s)HTTP/1\\.1 (405|404|400|402) .*"), answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), answer);
            }
        }
    }

    @Test
    void unknown_methods_are_writes_at_the_gate_and_405_at_tollgate_endpoints() throws Exception {
        assertEquals(201, send("FROB", "/api/projects", "t_active", null).statusCode());
        HttpResponse<String> denied = send("FROB", "/api/projects", "t_past_due", null);
        assertEquals(402, denied.statusCode(), "an unknown method is a write");
        assertEquals("past_due", JSON.readTree(denied.body()).get("billing_status").asText());

        for (String method : new String[] {"GET", "PUT", "DELETE", "FROB"}) {
            HttpResponse<String> webhook = send(method, "/webhooks/stripe", null, null);
            assertEquals(405, webhook.statusCode(), method);
            assertEquals("{\"status\":\"rejected\",\"reason\":\"method_not_allowed\"}", webhook.body());
            assertEquals("POST", webhook.headers().firstValue("Allow").orElseThrow());
        }
        for (String method : new String[] {"POST", "PUT", "DELETE", "FROB"}) {
            HttpResponse<String> health = send(method, "/health/ready", null, null);
            assertEquals(405, health.statusCode(), method);
            assertEquals("method_not_allowed", JSON.readTree(health.body()).get("error").asText());
            assertEquals("GET, HEAD", health.headers().firstValue("Allow").orElseThrow());
        }
        HttpResponse<String> head = send("HEAD", "/health/live", null, null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void malformed_unsigned_or_misaddressed_webhooks_are_typed_4xx() throws Exception {
        StripeSigner signer = StripeSigner.of(Secret.of(SECRET), Clock.systemUTC());
        long now = Instant.now().getEpochSecond();
        for (String body : new String[] {"{not json", "", "[]", "{\"id\":42}", "\u0000\u0001"}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> answer = post("/webhooks/stripe", bytes, signer.signatureHeader(bytes, now));
            assertEquals(400, answer.statusCode(), "'" + body + "': " + answer.body());
            assertEquals("rejected", JSON.readTree(answer.body()).get("status").asText());
        }
        HttpResponse<String> malformed = post("/webhooks/stripe", "{not json".getBytes(StandardCharsets.UTF_8),
                signer.signatureHeader("{not json".getBytes(StandardCharsets.UTF_8), now));
        assertEquals("{\"status\":\"rejected\",\"reason\":\"malformed_json\"}", malformed.body());

        byte[] event = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"status\":\"rejected\",\"reason\":\"missing_header\"}",
                post("/webhooks/stripe", event, null).body());
        assertEquals(400, post("/webhooks/stripe", event, "garbage").statusCode());
        assertEquals(400, post("/webhooks/stripe", event, "t=" + now + ",v1=" + "0".repeat(64)).statusCode());

        for (String path : new String[] {"/webhooks/nope", "/webhooks/", "/webhooks/stripe/extra", "/webhooks"}) {
            HttpResponse<String> unknown = post(path, event, signer.signatureHeader(event, now));
            assertEquals(404, unknown.statusCode(), path);
            assertEquals("{\"status\":\"rejected\",\"reason\":\"unknown_provider\"}", unknown.body(), path);
        }
        HttpResponse<String> probe = send("GET", "/health/nope", null, null);
        assertEquals(404, probe.statusCode());
        assertEquals("{\"error\":\"not_found\"}", probe.body());
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            seen.write(buffer, 0, n);
            String text = seen.toString(StandardCharsets.ISO_8859_1);
            if (text.contains("\r\n\r\n") && text.endsWith("}")) {
                return text;
            }
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertJson(HttpResponse<String> answer) {
        assertTrue(answer.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"),
                answer.headers().toString());
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElseThrow());
    }

    private HttpResponse<String> post(String path, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String tenant, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.url(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertTrue(answer.statusCode() < 500, method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        return answer;
    }
}
