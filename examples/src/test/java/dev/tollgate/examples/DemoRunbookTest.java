package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Starts the demo in-process on a random port against the test database and walks the seeds' go-live
 * runbook over real HTTP. The clock is moved by hand past the gate's cache TTL instead of waiting.
 */
@TollgatePostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoRunbookTest {

    private static final String STRIPE_SECRET = "whsec_demo_runbook_0123456789abcdef";
    private static final String REVENUECAT_SECRET = "rc_demo_runbook_shared_secret_42";
    private static final Duration PAST_CACHE_TTL = Duration.ofSeconds(11);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SettableClock clock;
    private static TestDatabase database;
    private static DemoService demo;
    private static HttpClient http;
    private static String base;
    private static String startOutput;

    @BeforeAll
    static void startDemo(TestDatabase testDatabase) {
        database = testDatabase;
        clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, database.jdbcUrl(), database.user(),
                Secret.of(database.password()), false, Secret.of(STRIPE_SECRET), Secret.of(REVENUECAT_SECRET), false,
                Map.of(), clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        demo = DemoService.start(settings, new PrintStream(out, true, StandardCharsets.UTF_8));
        startOutput = out.toString(StandardCharsets.UTF_8);
        base = "http://127.0.0.1:" + demo.port();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void printsTheBoundPortAndNoSecretWhenSecretsAreConfigured() {
        assertTrue(startOutput.contains("listening on " + base), startOutput);
        assertFalse(startOutput.contains(STRIPE_SECRET), "a configured secret is never printed");
        assertFalse(startOutput.contains(REVENUECAT_SECRET), "a configured secret is never printed");
    }

    @Test
    void sameStripeEventThreeTimesIsOneRowAndTwiceAlreadyProcessed() throws Exception {
        byte[] event = subscriptionEvent("evt_runbook_3x", "t_three", "active", clock.instant().getEpochSecond());
        Response first = stripe("/webhooks/stripe", event);
        assertEquals(200, first.status(), first.body());
        assertEquals("{\"status\":\"processed\",\"event_id\":\"evt_runbook_3x\"}", first.body());
        for (String path : List.of("/webhooks/stripe", "/api/billing/webhook")) {
            Response again = stripe(path, event);
            assertEquals(200, again.status());
            assertEquals("{\"status\":\"skipped\",\"reason\":\"already_processed\",\"event_id\":\"evt_runbook_3x\"}",
                    again.body());
        }
        assertEquals(1, count("SELECT count(*) FROM webhooks.events WHERE event_id = ?", "evt_runbook_3x"));
        assertEquals(1, count("SELECT count(*) FROM billing.audit_log WHERE cause_event_id = ?", "evt_runbook_3x"));
    }

    @Test
    void theTriggerSubcommandSendsSignedEventsToTheDemo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TollgateDemo.subcommand(new String[] {"trigger", "customer.subscription.updated",
                "--url", base + "/api/billing/webhook", "--tenant", "t_trigger", "--status", "active",
                "--event-id", "evt_runbook_trigger", "--times", "3"},
                Map.of("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("\"status\":\"processed\""), printed);
        assertTrue(printed.contains("already_processed"), printed);
        assertFalse(printed.contains(STRIPE_SECRET), "the trigger never prints the secret");
        assertEquals(1, count("SELECT count(*) FROM webhooks.events WHERE event_id = ?", "evt_runbook_trigger"));
        assertEquals(1, count("SELECT count(*) FROM billing.audit_log WHERE cause_event_id = ?", "evt_runbook_trigger"));
    }

    @Test
    void thePreflightSubcommandSaysGoOnTheSeededDemoDatabase() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TollgateDemo.subcommand(new String[] {"preflight", "--jdbc-url", database.jdbcUrl(),
                "--user", database.user(), "--json"}, Map.of("TOLLGATE_DATABASE_PASSWORD", database.password()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed + err.toString(StandardCharsets.UTF_8));
        JsonNode report = JSON.readTree(printed);
        assertTrue(report.path("go").asBoolean(), printed);
        assertEquals(0, report.path("fail").asInt(), printed);
        for (JsonNode step : report.path("steps")) {
            if (step.path("name").asText().equals("legal-documents")
                    || step.path("name").asText().equals("tollgate.verify_final_hardening")) {
                assertEquals("PASS", step.path("status").asText(), step.toString());
            }
        }
        assertFalse(printed.contains(database.password()) && database.password().length() > 4,
                "the database password is never printed");
    }

    @Test
    void twentyConcurrentDeliveriesAreOneRowAndOneEffect() throws Exception {
        byte[] event = subscriptionEvent("evt_runbook_20", "t_twenty", "active", clock.instant().getEpochSecond());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return stripe("/webhooks/stripe", event);
                }));
            }
            go.countDown();
            int processed = 0;
            for (Future<Response> answer : answers) {
                Response r = answer.get();
                JsonNode body = JSON.readTree(r.body());
                assertEquals("evt_runbook_20", body.path("event_id").asText(), r.body());
                if (body.path("status").asText().equals("processed")) {
                    processed++;
                } else {
                    // a duplicate waits for the first delivery's transaction, then says so
                    assertEquals(200, r.status(), r.body());
                    assertEquals("already_processed", body.path("reason").asText(), r.body());
                }
            }
            assertEquals(1, processed, "exactly one delivery is processed");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("SELECT count(*) FROM webhooks.events WHERE event_id = ?", "evt_runbook_20"));
        assertEquals(1, count("SELECT count(*) FROM billing.audit_log WHERE cause_event_id = ?", "evt_runbook_20"));
    }

    @Test
    void pastDueAnswers402WithTheExactBodyUntilAnSqlResetMakesIt200() throws Exception {
        String tenant = "t_past_due";
        long created = clock.instant().getEpochSecond();
        assertEquals(200, stripe("/webhooks/stripe", subscriptionEvent("evt_pd_active", tenant, "active", created))
                .status());
        assertEquals(202, solve(tenant, null).status());

        assertEquals(200, stripe("/webhooks/stripe", subscriptionEvent("evt_pd_overdue", tenant, "past_due",
                created + 60)).status());
        clock.advance(PAST_CACHE_TTL);
        Response denied = solve(tenant, null);
        assertEquals(402, denied.status());
        assertEquals("{\"error\":\"subscription_required\",\"message\":\"Payment overdue. Please update your payment "
                + "method.\",\"billing_status\":\"past_due\"}", denied.body());
        Response problem = solve(tenant, "application/problem+json");
        assertEquals(402, problem.status());
        assertEquals("application/problem+json", problem.contentType());
        assertEquals("past_due", JSON.readTree(problem.body()).path("billing_status").asText());
        assertEquals(200, get("/api/v1/solver/jobs", tenant).status(), "reads stay allowed while past_due");

        try (Connection c = demo.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE billing.tenant_billing SET status = 'active' WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            assertEquals(1, ps.executeUpdate());
        }
        clock.advance(PAST_CACHE_TTL);
        assertEquals(202, solve(tenant, null).status());
        JsonNode jobs = JSON.readTree(get("/api/v1/solver/jobs", tenant).body()).path("jobs");
        assertEquals(2, jobs.size(), "the refused write left no job");
    }

    @Test
    void aWriteWithoutTenantIs400AndAnUnknownTenantIs402() throws Exception {
        HttpResponse<String> noTenant = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/solver/solve"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, noTenant.statusCode());
        assertEquals("tenant_required", JSON.readTree(noTenant.body()).path("error").asText());
        Response unknown = solve("t_never_subscribed", null);
        assertEquals(402, unknown.status());
        assertEquals("none", JSON.readTree(unknown.body()).path("billing_status").asText());
    }

    @Test
    void revenueCatWithTheWrongBearerIs401AndTheRightOneIsAccepted() throws Exception {
        byte[] event = ("{\"api_version\":\"1.0\",\"event\":{\"id\":\"rc_evt_runbook_1\",\"type\":\"TEST\","
                + "\"app_user_id\":\"t_rc\",\"event_timestamp_ms\":" + clock.millis() + "}}")
                .getBytes(StandardCharsets.UTF_8);
        Response wrong = post("/webhooks/revenuecat", event, Map.of("Authorization", "Bearer not-the-secret"));
        assertEquals(401, wrong.status(), wrong.body());
        assertTrue(JSON.readTree(wrong.body()).has("reason"), wrong.body());
        assertFalse(wrong.body().contains(REVENUECAT_SECRET));
        Response missing = post("/webhooks/revenuecat", event, Map.of());
        assertEquals(401, missing.status(), missing.body());
        Response right = post("/webhooks/revenuecat", event, Map.of("Authorization", "Bearer " + REVENUECAT_SECRET));
        assertEquals(200, right.status(), right.body());
    }

    @Test
    void badStripeSignatureIs400WithAReasonAndNoRow() throws Exception {
        byte[] event = subscriptionEvent("evt_runbook_forged", "t_forged", "active", clock.instant().getEpochSecond());
        Response forged = post("/webhooks/stripe", event, Map.of("Stripe-Signature",
                "t=" + clock.instant().getEpochSecond() + ",v1=" + "00".repeat(32)));
        assertEquals(400, forged.status(), forged.body());
        assertEquals("signature_mismatch", JSON.readTree(forged.body()).path("reason").asText());
        assertEquals(0, count("SELECT count(*) FROM webhooks.events WHERE event_id = ?", "evt_runbook_forged"));
    }

    @Test
    void legalAcceptanceIsRecordedWithItsAuditRow() throws Exception {
        String user = "user_legal_1";
        JsonNode before = JSON.readTree(get("/api/legal/status?user_id=" + user, null).body());
        assertFalse(before.path("up_to_date").asBoolean());
        assertEquals(2, before.path("pending").size(), "terms and privacy must be accepted");

        Response accepted = post("/api/legal/accept",
                "{\"user_id\":\"user_legal_1\",\"documents\":[\"terms\",\"privacy\"]}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
        assertEquals(201, accepted.status(), accepted.body());
        assertEquals(2, JSON.readTree(accepted.body()).path("accepted").size());

        JsonNode after = JSON.readTree(get("/api/legal/status?user_id=" + user, null).body());
        assertTrue(after.path("up_to_date").asBoolean(), after.toString());
        assertEquals(2, count("SELECT count(*) FROM legal.acceptances WHERE user_id = ?", user));
        assertEquals(2, count("SELECT count(*) FROM legal.audit_log l JOIN legal.acceptances a "
                + "ON a.id = l.acceptance_id WHERE a.user_id = ?", user));

        Response unknown = post("/api/legal/accept",
                "{\"user_id\":\"user_legal_1\",\"documents\":[\"cookies\"]}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(400, unknown.status());
        assertEquals("unknown_document", JSON.readTree(unknown.body()).path("error").asText());
    }

    @Test
    void consentIsPersistedAndReadBack() throws Exception {
        String subject = "subject_consent_1";
        assertEquals(404, get("/api/consent?subject_id=" + subject, null).status());
        Response recorded = post("/api/consent", ("{\"subject_id\":\"" + subject + "\",\"choice\":\"custom\","
                + "\"purposes\":{\"analytics\":true,\"marketing\":false}}").getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(201, recorded.status(), recorded.body());

        JsonNode current = JSON.readTree(get("/api/consent?subject_id=" + subject, null).body());
        assertEquals("1.0", current.path("version").asText());
        assertEquals(clock.instant(), Instant.parse(current.path("timestamp").asText()));
        assertEquals(JSON.readTree("{\"analytics\":true,\"marketing\":false,\"necessary\":true}"),
                current.path("purposes"));
        assertEquals(1, count("SELECT count(*) FROM consent.records WHERE subject_id = ?", subject));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(201, post("/api/consent", ("{\"subject_id\":\"" + subject + "\",\"choice\":\"only_necessary\"}")
                .getBytes(StandardCharsets.UTF_8), Map.of()).status());
        JsonNode changed = JSON.readTree(get("/api/consent?subject_id=" + subject, null).body());
        assertFalse(changed.path("purposes").path("analytics").asBoolean());
        assertEquals(2, count("SELECT count(*) FROM consent.records WHERE subject_id = ?", subject));

        JsonNode policy = JSON.readTree(get("/api/consent/policy", null).body());
        assertEquals("1.0", policy.path("version").asText());
        assertEquals(3, policy.path("purposes").size());
    }

    @Test
    void badConsentInputIs400WithAReasonCode() throws Exception {
        Map<String, String> cases = Map.of(
                "{not json", "malformed_json",
                "[]", "malformed_json",
                "{\"subject_id\":\"s\",\"choice\":\"everything\"}", "invalid_choice",
                "{\"subject_id\":\"s\",\"choice\":\"custom\",\"purposes\":{\"analytics\":\"yes\"}}", "invalid_purposes",
                "{\"subject_id\":\"s\",\"choice\":\"custom\",\"purposes\":{\"telepathy\":true}}", "unknown_purpose",
                "{\"choice\":\"accept_all\"}", "missing_field");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response r = post("/api/consent", c.getKey().getBytes(StandardCharsets.UTF_8), Map.of());
            assertEquals(400, r.status(), c.getKey() + " -> " + r.body());
            assertEquals(c.getValue(), JSON.readTree(r.body()).path("error").asText(), c.getKey());
        }
    }

    @Test
    void healthReadyAndLiveAnswer() throws Exception {
        Response health = get("/health", null);
        assertEquals(200, health.status(), health.body());
        JsonNode body = JSON.readTree(health.body());
        assertEquals("healthy", body.path("status").asText());
        assertEquals("connected", body.path("database").asText());
        assertEquals("{\"ready\":true}", get("/health/ready", null).body());
        assertEquals("{\"live\":true}", get("/health/live", null).body());
    }

    @Test
    void legalPagesArePublicHtml() throws Exception {
        for (String kind : List.of("terms", "privacy", "imprint")) {
            Response page = get("/legal/" + kind, null);
            assertEquals(200, page.status());
            assertTrue(page.contentType().startsWith("text/html"), page.contentType());
            assertTrue(page.body().startsWith("<!DOCTYPE html>"), kind);
        }
    }

    @Test
    void demoPageLinksTheBannerAndTheLegalPagesAndTheAdminRouteIsOffByDefault() throws Exception {
        for (String path : List.of("/", "/demo")) {
            Response page = get(path, null);
            assertEquals(200, page.status());
            assertTrue(page.contentType().startsWith("text/html"), page.contentType());
            for (String link : List.of("/assets/cookieconsent.umd.js", "/assets/cookieconsent.css",
                    "/assets/tollgate-consent.js", "/legal/terms", "/legal/privacy", "/legal/imprint",
                    "id=\"cookie-settings\"")) {
                assertTrue(page.body().contains(link), path + " lacks " + link);
            }
        }
        Response adapter = get("/assets/tollgate-consent.js", null);
        assertEquals(200, adapter.status());
        assertTrue(adapter.contentType().startsWith("text/javascript"), adapter.contentType());
        assertTrue(adapter.body().contains("/api/consent/policy"), "the adapter reads the policy");
        Response admin = post("/api/admin/consent/policy/next-major", new byte[0], Map.of());
        assertEquals(404, admin.status(), "the policy admin route needs -D" + DemoRoutes.CONSENT_ADMIN_PROPERTY);
        assertEquals("1.0", JSON.readTree(get("/api/consent/policy", null).body()).path("version").asText());
    }

    @Test
    void entitlementsSnapshotAndMetricsAnswer() throws Exception {
        stripe("/webhooks/stripe", subscriptionEvent("evt_runbook_ent", "t_ent", "active",
                clock.instant().getEpochSecond()));
        clock.advance(PAST_CACHE_TTL);
        JsonNode snapshot = JSON.readTree(get("/api/entitlements/snapshot?user_id=t_ent", null).body());
        assertEquals("active", snapshot.path("billing_status").asText(), snapshot.toString());
        assertEquals(400, get("/api/entitlements/snapshot", null).status(), "user_id is required");

        Response metrics = get("/metrics", null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        assertTrue(metrics.body().contains("hikaricp_connections"), "pool meters are exported");
        assertTrue(metrics.body().contains("tollgate_health_check"), "health meters are exported");
        assertTrue(metrics.body().contains("tollgate_webhook_events_total{"), "webhook meters are exported");
        assertTrue(metrics.body().contains("tollgate_gate_decisions_total{"), "gate meters are exported");
        assertTrue(metrics.body().contains("tollgate_webhook_oldest_event_age_seconds{state=\"pending\"}"),
                "backlog age meters are exported");
        assertTrue(metrics.body().contains("tollgate_webhook_dead_letters_open "), "open dead letters are exported");
    }

    @Test
    void unknownRouteIs404JsonAndWrongMethodIs405WithAllow() throws Exception {
        Response missing = get("/no/such/route", null);
        assertEquals(404, missing.status());
        assertEquals("not_found", JSON.readTree(missing.body()).path("error").asText());
        assertTrue(missing.contentType().startsWith("application/json"));

        Response wrong = post("/health", new byte[0], Map.of());
        assertEquals(405, wrong.status());
        assertEquals("method_not_allowed", JSON.readTree(wrong.body()).path("error").asText());
        assertEquals("GET, HEAD", wrong.allow());
        Response getOnPost = get("/webhooks/stripe", null);
        assertEquals(405, getOnPost.status());
        assertEquals("POST", getOnPost.allow());
    }

    @Test
    void oversizedBodiesAre413BeforeAnythingIsDone() throws Exception {
        Response webhook = post("/webhooks/stripe", new byte[DemoService.MAX_WEBHOOK_BYTES + 1],
                Map.of("Stripe-Signature", "t=1,v1=00"));
        assertEquals(413, webhook.status());
        assertEquals("body_too_large", JSON.readTree(webhook.body()).path("error").asText());
        Response api = post("/api/consent", new byte[DemoService.MAX_API_BYTES + 1], Map.of());
        assertEquals(413, api.status());
        // chunked: no Content-Length, so the limit is found while reading
        Response chunked = send(HttpRequest.newBuilder(URI.create(base + "/api/consent"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[3 * DemoService.MAX_API_BYTES]))).build());
        assertEquals(413, chunked.status());
        assertEquals("body_too_large", JSON.readTree(chunked.body()).path("error").asText());
        Response justFits = post("/api/consent", padded(DemoService.MAX_API_BYTES), Map.of());
        assertEquals(400, justFits.status(), "a body at the limit is read and judged on its content");
        assertEquals("missing_field", JSON.readTree(justFits.body()).path("error").asText());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void afterTheWholeWalkEveryVerifierFunctionPasses() throws Exception {
        for (String function : DemoService.VERIFIER_FUNCTIONS) {
            List<String> notPassing = new ArrayList<>();
            int rows = 0;
            try (Connection c = demo.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT check_name, status, detail FROM " + function + "()");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    if (!rs.getString(2).equals("PASS")) {
                        notPassing.add(rs.getString(1) + "=" + rs.getString(2) + " (" + rs.getString(3) + ")");
                    }
                }
            }
            assertTrue(rows > 0, function + " returned no rows");
            assertEquals(List.of(), notPassing, function);
        }
        assertEquals("{\"ready\":true}", get("/health/ready", null).body());
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private record Response(int status, String body, String contentType, String allow) {
    }

    private static Response stripe(String path, byte[] event) throws Exception {
        return post(path, event, Map.of("Stripe-Signature", sign(event, clock.instant().getEpochSecond()),
                "Content-Type", "application/json"));
    }

    private static Response solve(String tenant, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/solver/solve"))
                .header("X-Tenant-Id", tenant)
                .POST(HttpRequest.BodyPublishers.ofString("{\"problem\":\"tsp-12\"}"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return send(request.build());
    }

    private static Response get(String path, String tenant) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        return send(request.build());
    }

    private static Response post(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    private static Response send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("Allow").orElse(""));
    }

    private static byte[] padded(int length) {
        StringBuilder json = new StringBuilder("{\"pad\":\"");
        while (json.length() < length - 2) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] subscriptionEvent(String eventId, String tenant, String status, long created) {
        return ("{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"customer.subscription.updated\","
                + "\"created\":" + created + ",\"api_version\":\"2025-03-31.basil\",\"livemode\":false,"
                + "\"data\":{\"object\":{\"id\":\"sub_" + tenant + "\",\"object\":\"subscription\","
                + "\"customer\":\"cus_" + tenant + "\",\"status\":\"" + status + "\","
                + "\"metadata\":{\"tenant_id\":\"" + tenant + "\"},"
                + "\"items\":{\"object\":\"list\",\"data\":[{\"id\":\"si_" + tenant + "\",\"object\":\"subscription_item\","
                + "\"current_period_end\":" + (created + 30L * 86_400) + ","
                + "\"price\":{\"id\":\"price_pro\",\"object\":\"price\",\"product\":\"prod_pro\"}}]}}}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Signs like Stripe: HMAC-SHA256 over "{t}.{body}" keyed with the whsec_ string. */
    static String sign(byte[] body, long timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection c = demo.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
