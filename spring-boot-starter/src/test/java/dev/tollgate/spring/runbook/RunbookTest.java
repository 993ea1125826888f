package dev.tollgate.spring.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Secret;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The seeds' runbook, over HTTP against a real Spring Boot application on a random port and a real
 * PostgreSQL: duplicates, concurrent deliveries, past_due → 402 → SQL reset → allowed, RevenueCat 401,
 * readiness.
 */
@SpringBootTest(classes = RunbookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "tollgate.webhooks.stripe.secret=" + RunbookTest.STRIPE_SECRET,
                "tollgate.webhooks.revenuecat.authorization=" + RunbookTest.REVENUECAT_AUTH,
                "tollgate.billing.cache-ttl=1ms",
                // the test's HTTP client plays the trusted proxy that sets the tenant header
                "tollgate.billing.tenant.source=header",
                "management.endpoints.web.exposure.include=health",
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.show-components=always"})
class RunbookTest {

    static final String STRIPE_SECRET = "whsec_runbookRunbookRunbook0123456789";
    static final String REVENUECAT_AUTH = "Bearer rc-runbook-authorization-0123456789";
    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private final StripeSigner stripe = StripeSigner.of(Secret.of(STRIPE_SECRET), Clock.systemUTC());

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::user);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void the_same_stripe_event_three_times_is_processed_once_and_skipped_twice() throws Exception {
        String tenant = tenant();
        SignedDelivery delivery = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant).build());

        ReplayResult result = replayer("/webhooks/stripe").inSequence(delivery, 3);

        result.assertExactlyOnce(dataSource, () -> auditRows(tenant));
        assertEquals("processed", result.answers().get(0).status().orElseThrow());
        assertEquals("already_processed", result.answers().get(1).reason().orElseThrow());
        assertEquals("already_processed", result.answers().get(2).reason().orElseThrow());
        assertEquals("active", status(tenant));
    }

    @Test
    void twenty_concurrent_deliveries_of_one_event_have_one_effect() {
        String tenant = tenant();
        SignedDelivery delivery = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant).build());

        ReplayResult result = replayer("/webhooks/stripe").concurrently(delivery, 20);

        result.assertExactlyOnce(dataSource, () -> auditRows(tenant));
    }

    @Test
    void past_due_answers_402_then_a_direct_sql_reset_allows_again() throws Exception {
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

        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE billing.tenant_billing SET status = 'active' WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(201, post("/api/projects", tenant, "application/json").statusCode());

        assertTrue(meters.find("tollgate.gate.decisions").tag("outcome", "blocked").tag("status", "past_due")
                .counter().count() >= 2, "denials are counted on the application's registry");
        assertTrue(meters.find("tollgate.webhook.events").tag("provider", "stripe").meters().size() >= 1,
                "webhook outcomes are counted on the application's registry");
    }

    @Test
    void a_gated_method_without_a_tenant_or_with_an_invented_one_is_400_and_an_ungated_one_is_untouched() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(url("/api/projects"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, missing.statusCode());
        assertEquals("tenant_required", JSON.readTree(missing.body()).get("error").asText());
        assertTrue(missing.body().contains("X-Tenant-Id"));

        HttpResponse<String> invented = post("/api/projects", "t".repeat(300), "application/json");
        assertEquals(400, invented.statusCode(), "an over-long tenant id is refused before any lookup");
        assertEquals("tenant_invalid", JSON.readTree(invented.body()).get("error").asText());
        assertEquals(400, get("/api/projects", "x".repeat(256)).statusCode(), "reads too");

        String unknown = tenant();
        assertEquals(402, post("/api/projects", unknown, "application/json").statusCode(),
                "a tenant with no subscription may not write");
        assertEquals(200, post("/api/open", unknown, "application/json").statusCode());
    }

    @Test
    void revenuecat_with_a_wrong_or_missing_authorization_is_401_and_the_right_one_is_processed() throws Exception {
        String tenant = tenant();
        SignedDelivery right = RevenueCatSigner.of(Secret.of(REVENUECAT_AUTH))
                .sign(RevenueCatEventFixture.initialPurchase().appUserId(tenant).build());

        ReplayAnswer wrong = replayer("/webhooks/revenuecat")
                .deliver(right.withHeader("Authorization", "Bearer not-the-configured-value-at-all"));
        assertEquals(401, wrong.httpStatus());
        assertEquals("authorization_mismatch", wrong.reason().orElseThrow());
        assertFalse(wrong.body().contains("rc-runbook"), "the configured value never leaks");

        ReplayAnswer none = replayer("/webhooks/revenuecat").deliver(right.withoutHeader("Authorization"));
        assertEquals(401, none.httpStatus());

        ReplayAnswer ok = replayer("/webhooks/revenuecat").deliver(right);
        assertEquals(200, ok.httpStatus(), ok.body());
        assertEquals("processed", ok.status().orElseThrow());
        assertEquals("active", status(tenant));
    }

    @Test
    void stripe_bodies_are_verified_on_their_raw_bytes_and_bad_ones_are_400() throws Exception {
        String tenant = "tenant-ü-\u6F22-\uD83D\uDE00-" + UUID.randomUUID();
        SignedDelivery unicode = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant).build());
        assertEquals(200, replayer("/webhooks/stripe").deliver(unicode).httpStatus());
        assertEquals("active", status(tenant), "the tenant id arrived byte for byte");

        SignedDelivery tampered = unicode.withHeader("Stripe-Signature",
                unicode.header("Stripe-Signature").orElseThrow().replaceAll("v1=[0-9a-f]+", "v1=" + "0".repeat(64)));
        ReplayAnswer mismatch = replayer("/webhooks/stripe").deliver(tampered);
        assertEquals(400, mismatch.httpStatus());

        ReplayAnswer unsigned = replayer("/webhooks/stripe").deliver(unicode.withoutHeader("Stripe-Signature"));
        assertEquals(400, unsigned.httpStatus());
        assertEquals("missing_header", unsigned.reason().orElseThrow());

        HttpResponse<String> huge = send(HttpRequest.newBuilder(url("/webhooks/stripe"))
                .header("Stripe-Signature", "t=1,v1=00")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(1 << 20) + 10])).build());
        assertEquals(413, huge.statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(url("/webhooks/stripe")).GET().build()).statusCode());
    }

    @Test
    void readiness_includes_tollgate_with_every_verifier_and_liveness_checks_no_dependency() throws Exception {
        HttpResponse<String> ready = send(HttpRequest.newBuilder(url("/actuator/health/readiness")).GET().build());
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode tollgate = JSON.readTree(ready.body()).at("/components/tollgate");
        assertEquals("UP", tollgate.get("status").asText(), ready.body());
        assertEquals("UP", tollgate.at("/details/database/status").asText());
        assertEquals("PASS", tollgate.at("/details/webhooks.verify_webhook_schema/status").asText().equals("UP")
                ? "PASS" : tollgate.toString());
        assertEquals("UP", tollgate.at("/details/billing.verify_billing_schema/status").asText(), tollgate.toString());
        assertEquals("UP", tollgate.at("/details/tollgate.verify_final_hardening/status").asText(), tollgate.toString());
        assertFalse(tollgate.at("/details/webhooks.backlog/critical").asBoolean(true), tollgate.toString());
        assertFalse(ready.body().contains(STRIPE_SECRET));

        HttpResponse<String> live = send(HttpRequest.newBuilder(url("/actuator/health/liveness")).GET().build());
        assertEquals(200, live.statusCode());
        assertFalse(live.body().contains("tollgate"), live.body());
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
        return send(HttpRequest.newBuilder(url(path)).header("X-Tenant-Id", tenant).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    private int auditRows(String tenant) {
        return queryInt("SELECT count(*) FROM billing.audit_log WHERE tenant_id = ?", tenant);
    }

    private String status(String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM billing.tenant_billing WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "(none)";
            }
        }
    }

    private int queryInt(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
