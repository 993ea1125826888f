package dev.tollgate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.Secret;
import dev.tollgate.billing.EnforcementMode;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The go-live runbook over HTTP against embedded Jetty 12 on a random port and a real PostgreSQL of this class's own
 * (it is stopped and started again): duplicates, 20 concurrent deliveries, past_due → 402 (JSON and problem+json),
 * reads allowed, RevenueCat 401, a 2 MiB body refused without being read, probes through a database outage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServletRunbookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestPostgres postgres;
    private TestDatabase database;
    private HikariDataSource pool;
    private RunbookServices services;
    private JettyApp app;
    private final HttpClient http = HttpClient.newHttpClient();
    private final StripeSigner stripe = StripeSigner.of(Secret.of(RunbookServices.STRIPE_SECRET), Clock.systemUTC());

    @BeforeAll
    void start() throws Exception {
        postgres = TestPostgres.startEmbedded();
        database = postgres.createDatabase().migrate();
        pool = database.newPool(16);
        services = new RunbookServices(pool);
        app = JettyApp.start(services::register);
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        services.registry.close();
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

        services.gate.setEnforcementMode(EnforcementMode.REPORT_ONLY);
        try {
            HttpResponse<String> reported = post("/api/projects", tenant, "application/json");
            assertEquals(201, reported.statusCode(), "report-only lets the write through");
            assertTrue(reported.body().contains("REPORT_ONLY"), "the application sees the would-be denial: "
                    + reported.body());
        } finally {
            services.gate.setEnforcementMode(EnforcementMode.ON);
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
        SignedDelivery right = RevenueCatSigner.of(Secret.of(RunbookServices.REVENUECAT_AUTH))
                .sign(RevenueCatEventFixture.initialPurchase().appUserId(tenant).build());

        ReplayAnswer wrong = replayer("/webhooks/revenuecat")
                .deliver(right.withHeader("Authorization", "Bearer not-the-configured-value-at-all"));
        assertEquals(401, wrong.httpStatus());
        assertEquals("authorization_mismatch", wrong.reason().orElseThrow());
        assertFalse(wrong.body().contains("rc-servlet"), "the configured value never leaks");
        assertEquals(401, replayer("/webhooks/revenuecat").deliver(right.withoutHeader("Authorization")).httpStatus());

        ReplayAnswer ok = replayer("/webhooks/revenuecat").deliver(right);
        assertEquals(200, ok.httpStatus(), ok.body());
        assertEquals("processed", ok.status().orElseThrow());
        assertEquals("active", status(tenant));
    }

    @Test
    void a_2_MiB_body_is_413_before_the_body_is_sent() throws Exception {
        int twoMiB = 2 << 20;
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
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
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
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
        return Replayer.toUrl(app.url(path), http);
    }

    private HttpResponse<String> post(String path, String tenant, String accept) throws Exception {
        return send(HttpRequest.newBuilder(app.url(path)).header("X-Tenant-Id", tenant).header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpResponse<String> get(String path, String tenant) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.url(path)).GET();
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
