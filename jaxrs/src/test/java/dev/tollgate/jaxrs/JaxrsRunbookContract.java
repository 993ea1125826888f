package dev.tollgate.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.Secret;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingWebhooks;
import dev.tollgate.billing.EnforcementMode;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.testkit.ReplayAnswer;
import dev.tollgate.testkit.ReplayResult;
import dev.tollgate.testkit.Replayer;
import dev.tollgate.testkit.RevenueCatEventFixture;
import dev.tollgate.testkit.RevenueCatSigner;
import dev.tollgate.testkit.SignedDelivery;
import dev.tollgate.testkit.StripeEventFixture;
import dev.tollgate.testkit.StripeSigner;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import jakarta.ws.rs.core.Application;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The go-live runbook over HTTP against a Jakarta REST implementation (each subclass starts one on a random port) and
 * a real PostgreSQL of this class's own (it is stopped and started again): duplicates, 20 concurrent deliveries,
 * past_due → 402 (JSON and problem+json), reads allowed, RevenueCat 401, a 2 MiB body refused without being read,
 * probes through a database outage; then what clients get wrong: typed 4xx, never a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JaxrsRunbookContract {

    static final String STRIPE_SECRET = "whsec_jaxrsRunbookJaxrsRunbook0123456789";
    static final String REVENUECAT_AUTH = "Bearer rc-jaxrs-runbook-authorization-0123";
    private static final String TENANT_INVALID = "{\"error\":\"tenant_invalid\",\"message\":\"The tenant id is not valid:"
            + " at most 255 characters, no control characters.\"}";
    private static final String TENANT_REQUIRED = "{\"error\":\"tenant_required\",\"message\":\"This operation needs a"
            + " tenant: send it in the X-Tenant-Id header\"}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestPostgres postgres;
    private TestDatabase database;
    private HikariDataSource pool;
    private BillingGate gate;
    private HealthRegistry registry;
    private RestServer server;
    // HTTP/1.1, as providers send: no h2c upgrade headers (Grizzly reads an upgrade request's body to the end of the
    // connection).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final StripeSigner stripe = StripeSigner.of(Secret.of(STRIPE_SECRET), Clock.systemUTC());

    /**
     * Starts the implementation under test with an application.
     *
     * @param application the application
     * @return the running server
     * @throws Exception if it cannot start
     */
    protected abstract RestServer start(Application application) throws Exception;

    /**
     * What the application's {@code getSingletons()} holds of Tollgate.
     *
     * @param tollgate the feature
     * @return the feature itself (its resources come with it), or its {@linkplain TollgateFeature#components() components}
     */
    protected Set<Object> tollgateSingletons(TollgateFeature tollgate) {
        return Set.of(tollgate);
    }

    @BeforeAll
    void start() throws Exception {
        postgres = TestPostgres.startEmbedded();
        database = postgres.createDatabase().migrate();
        pool = database.newPool(16);
        DataSource dataSource = pool;
        WebhookPipeline pipeline = BillingWebhooks.register(WebhookPipeline.builder()
                        .verifier(StripeVerifier.builder().secret(STRIPE_SECRET).build())
                        .verifier(RevenueCatVerifier.builder().authorization(REVENUECAT_AUTH).build())
                        .store(PostgresIdempotencyStore.create(dataSource)),
                BillingEventApplier.ofDefaults()).build();
        gate = BillingGate.builder().repository(new PostgresBillingRepository(dataSource))
                .cacheTtl(Duration.ofMillis(1)) // every check reads the database: the test sees each change at once
                .build();
        registry = HealthRegistry.builder()
                .register(HealthEndpoints.DATABASE, DatabaseHealthContributor.of(dataSource),
                        HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(20)))
                .build();

        // quick start (README.md): begin
        TollgateFeature tollgate = TollgateFeature.builder()
                .webhooks(pipeline)                                       // POST /webhooks/{provider}
                .billingGate(gate, TenantResolver.header("X-Tenant-Id")) // set by your gateway, not by clients
                .health(HealthEndpoints.builder(registry).version("1.0.0").build())
                .build();
        // quick start (README.md): end
        server = start(new RunbookApplication(tollgateSingletons(tollgate)));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        registry.close();
        database.close();
        postgres.close();
    }

    @Test
    void the_same_stripe_event_three_times_is_one_row_and_one_effect() {
        String tenant = tenant();
        SignedDelivery delivery = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant).build());

        ReplayResult result = replayer("/webhooks/stripe").inSequence(delivery, 3);

        result.assertExactlyOnce(pool, () -> auditRows(tenant));
        assertEquals("processed", result.answers().get(0).status().orElseThrow());
        assertEquals("already_processed", result.answers().get(1).reason().orElseThrow());
        assertEquals("already_processed", result.answers().get(2).reason().orElseThrow());
    }

    @Test
    void twenty_concurrent_deliveries_of_one_event_have_one_effect() {
        String tenant = tenant();
        SignedDelivery delivery = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant).build());

        replayer("/webhooks/stripe").concurrently(delivery, 20).assertExactlyOnce(pool, () -> auditRows(tenant));
    }

    @Test
    void past_due_writes_are_402_as_json_and_problem_json_and_reads_stay_allowed() throws Exception {
        String tenant = tenant();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        deliver(StripeEventFixture.subscriptionCreated().tenant(tenant).customer("cus_" + tenant)
                .subscription("sub_" + tenant).created(start));
        assertEquals(201, post("/api/projects", tenant, "application/json").statusCode());

        deliver(StripeEventFixture.subscriptionUpdated().tenant(tenant).customer("cus_" + tenant)
                .subscription("sub_" + tenant).status("past_due").previousStatus("active").created(start.plusSeconds(30)));
        HttpResponse<String> denied = post("/api/projects", tenant, "application/json");
        assertEquals(402, denied.statusCode());
        assertEquals("{\"error\":\"subscription_required\",\"message\":\"Payment overdue. Please update your payment"
                + " method.\",\"billing_status\":\"past_due\"}", denied.body());
        assertTrue(denied.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals(200, get("/api/projects", tenant).statusCode(), "reads stay allowed while past_due");

        HttpResponse<String> problem = post("/api/projects", tenant, "application/problem+json");
        assertEquals(402, problem.statusCode());
        assertTrue(problem.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(problem.body());
        assertEquals(402, body.get("status").asInt());
        assertEquals("subscription_required", body.get("error").asText());
        assertEquals("past_due", body.get("billing_status").asText());
        assertEquals("/api/projects", body.get("instance").asText());

        gate.setEnforcementMode(EnforcementMode.REPORT_ONLY);
        try {
            HttpResponse<String> reported = post("/api/projects", tenant, "application/json");
            assertEquals(201, reported.statusCode(), "report-only lets the write through");
            assertTrue(reported.headers().firstValue("X-Billing-Decision").orElseThrow().contains("REPORT_ONLY"),
                    "the application sees the would-be denial: " + reported.headers());
        } finally {
            gate.setEnforcementMode(EnforcementMode.ON);
        }

        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE billing.tenant_billing SET status = 'active' WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(201, post("/api/projects", tenant, "application/json").statusCode());
    }

    @Test
    void revenuecat_with_a_wrong_bearer_is_401_and_the_right_one_is_processed() throws Exception {
        String tenant = tenant();
        SignedDelivery right = RevenueCatSigner.of(Secret.of(REVENUECAT_AUTH))
                .sign(RevenueCatEventFixture.initialPurchase().appUserId(tenant).build());

        ReplayAnswer wrong = replayer("/webhooks/revenuecat")
                .deliver(right.withHeader("Authorization", "Bearer not-the-configured-value-at-all"));
        assertEquals(401, wrong.httpStatus());
        assertEquals("authorization_mismatch", wrong.reason().orElseThrow());
        assertFalse(wrong.body().contains("rc-jaxrs"), "the configured value never leaks");
        assertEquals(401, replayer("/webhooks/revenuecat").deliver(right.withoutHeader("Authorization")).httpStatus());

        ReplayAnswer ok = replayer("/webhooks/revenuecat").deliver(right);
        assertEquals(200, ok.httpStatus(), ok.body());
        assertEquals("processed", ok.status().orElseThrow());
        assertEquals("active", status(tenant));
    }

    @Test
    void a_2_MiB_body_is_413_before_the_body_is_sent() throws Exception {
        int twoMiB = 2 << 20;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Stripe-Signature: t=1,v1=00\r\nContent-Length: " + twoMiB + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Not one byte of the body is sent: the answer can only come from the declared length.
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.endsWith("{\"status\":\"rejected\",\"reason\":\"body_too_large\"}"), answer);
        }
    }

    @Test
    void a_chunked_body_over_the_limit_is_413_after_reading_one_byte_more_than_the_limit() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Stripe-Signature: t=1,v1=00\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent <= (1 << 20); sent += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            // 1 MiB + 64 KiB sent, the last chunk never comes: the answer cannot wait for the end of the body.
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.endsWith("{\"status\":\"rejected\",\"reason\":\"body_too_large\"}"), answer);
        }
    }

    @Test
    void probes_follow_the_database_down_and_back_up_and_liveness_never_looks() throws Exception {
        assertEquals("{\"ready\":true}", get("/health/ready", null).body());
        HttpResponse<String> healthy = get("/health", null);
        assertEquals(200, healthy.statusCode());
        assertEquals("{\"status\":\"healthy\",\"version\":\"1.0.0\",\"database\":\"connected\"}", healthy.body());

        postgres.stop();
        try {
            HttpResponse<String> ready = get("/health/ready", null);
            assertEquals(503, ready.statusCode());
            assertEquals("{\"ready\":false,\"failing\":[\"database\"]}", ready.body());
            HttpResponse<String> health = get("/health", null);
            assertEquals(503, health.statusCode());
            assertEquals("{\"status\":\"unhealthy\",\"version\":\"1.0.0\",\"database\":\"disconnected\"}",
                    health.body());
            HttpResponse<String> live = get("/health/live", null);
            assertEquals(200, live.statusCode());
            assertEquals("{\"live\":true}", live.body());

            SignedDelivery delivery = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant()).build());
            ReplayAnswer unavailable = replayer("/webhooks/stripe").deliver(delivery);
            assertEquals(503, unavailable.httpStatus(), "the provider retries later: " + unavailable.body());
        } finally {
            postgres.start();
        }
        // Back by itself, without a restart, once the pool has reconnected.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/health/ready", null).body().equals("{\"ready\":true}"));
        assertEquals(200, get("/health", null).statusCode());
        deliver(StripeEventFixture.subscriptionCreated().tenant(tenant()));
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
        assertEquals(200, send("POST", "/api/open", null, null).statusCode(), "an ungated method is untouched");
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
    }

    @Test
    void an_answer_given_before_the_body_arrived_tells_the_client_the_connection_closes() throws Exception {
        // Half of a declared body: the server cannot drain the rest, so it must not keep the connection, and says so
        // (a client reusing it would otherwise read nothing on its next request).
        for (String request : new String[] {
                "PUT /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"id\":",
                "POST /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"id\":",
                "POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{\"a\":",
                "POST /api/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant-Id: " + "t".repeat(300)
                        + "\r\nContent-Length: 10\r\n\r\n{\"a\":"}) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                String answer = readAnswer(socket.getInputStream());
                assertTrue(answer.matches("(?s)HTTP/1\\.1 (405|400) .*"), answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), answer);
            }
        }
    }

    @Test
    void a_purchase_is_allowed_while_past_due_and_unknown_methods_are_4xx() throws Exception {
        String tenant = tenant();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        deliver(StripeEventFixture.subscriptionCreated().tenant(tenant).customer("cus_" + tenant)
                .subscription("sub_" + tenant).created(start));
        deliver(StripeEventFixture.subscriptionUpdated().tenant(tenant).customer("cus_" + tenant)
                .subscription("sub_" + tenant).status("past_due").previousStatus("active").created(start.plusSeconds(30)));
        assertEquals(402, send("POST", "/api/projects", tenant, null).statusCode());
        assertEquals(201, send("POST", "/api/checkout", tenant, null).statusCode(), "a tenant may always pay");

        int unknown = send("FROB", "/api/projects", tenant, null).statusCode();
        assertTrue(unknown >= 400 && unknown < 500, "FROB: " + unknown);
        for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> webhook = send(method, "/webhooks/stripe", null, null);
            assertEquals(405, webhook.statusCode(), method);
            assertEquals("{\"status\":\"rejected\",\"reason\":\"method_not_allowed\"}", webhook.body());
            assertEquals("POST", webhook.headers().firstValue("Allow").orElseThrow());
        }
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> health = send(method, "/health/ready", null, null);
            assertEquals(405, health.statusCode(), method);
            assertEquals("method_not_allowed", JSON.readTree(health.body()).get("error").asText());
        }
        int frob = send("FROB", "/webhooks/stripe", null, null).statusCode();
        assertTrue(frob >= 400 && frob < 500, "FROB: " + frob);
        HttpResponse<String> head = send("HEAD", "/health/live", null, null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void malformed_unsigned_or_misaddressed_webhooks_are_typed_4xx() throws Exception {
        long now = Instant.now().getEpochSecond();
        for (String body : new String[] {"{not json", "", "[]", "{\"id\":42}", "\u0000\u0001"}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> answer = postBytes("/webhooks/stripe", bytes, stripe.signatureHeader(bytes, now));
            assertEquals(400, answer.statusCode(), "'" + body + "': " + answer.body());
            assertEquals("rejected", JSON.readTree(answer.body()).get("status").asText());
        }
        byte[] malformed = "{not json".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"status\":\"rejected\",\"reason\":\"malformed_json\"}",
                postBytes("/webhooks/stripe", malformed, stripe.signatureHeader(malformed, now)).body());

        byte[] event = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"status\":\"rejected\",\"reason\":\"missing_header\"}",
                postBytes("/webhooks/stripe", event, null).body());
        assertEquals(400, postBytes("/webhooks/stripe", event, "garbage").statusCode());
        HttpResponse<String> unknown = postBytes("/webhooks/nope", event, stripe.signatureHeader(event, now));
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"status\":\"rejected\",\"reason\":\"unknown_provider\"}", unknown.body());
        for (String path : new String[] {"/webhooks/", "/webhooks/stripe/extra", "/webhooks"}) {
            assertEquals(404, postBytes(path, event, stripe.signatureHeader(event, now)).statusCode(), path);
        }
        HttpResponse<String> probe = send("GET", "/health/nope", null, null);
        assertEquals(404, probe.statusCode());
        assertEquals("{\"error\":\"not_found\"}", probe.body());
    }

    private static void assertJson(HttpResponse<String> answer) {
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                answer.headers().toString());
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElse(""), answer.headers().toString());
    }

    private HttpResponse<String> postBytes(String path, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        HttpResponse<String> answer = send(request.build());
        assertTrue(answer.statusCode() < 500, path + ": " + answer.statusCode() + " " + answer.body());
        return answer;
    }

    private HttpResponse<String> send(String method, String path, String tenant, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> answer = send(request.build());
        assertTrue(answer.statusCode() < 500, method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        return answer;
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            seen.write(buffer, 0, n);
            String text = seen.toString(StandardCharsets.UTF_8);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (headersEnd > 0 && text.endsWith("}")) {
                return text;
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    private void deliver(StripeEventFixture event) {
        ReplayAnswer answer = replayer("/webhooks/stripe").deliver(stripe.sign(event.build()));
        assertEquals(200, answer.httpStatus(), answer.body());
        assertEquals("processed", answer.status().orElseThrow(), answer.body());
    }

    private Replayer replayer(String path) {
        return Replayer.toUrl(url(path), http);
    }

    private HttpResponse<String> post(String path, String tenant, String accept) throws Exception {
        return send(HttpRequest.newBuilder(url(path)).header("X-Tenant-Id", tenant).header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpResponse<String> get(String path, String tenant) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    private int auditRows(String tenant) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM billing.audit_log WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String status(String tenant) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM billing.tenant_billing WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(none)";
            }
        }
    }
}
