package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.billing.BillingProvider;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.billing.TenantBilling;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookWorker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code events catch-up} and {@code events resync revenuecat} on a real database against local fakes of
 * Stripe's {@code GET /v1/events} and RevenueCat's {@code GET /v1/subscribers/{id}}, with golden output.
 */
class EventsRecoveryCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
    private static final String STRIPE_KEY = "rk_test_events_catch_up_0123456789";
    private static final String RC_KEY = "sk_revenuecat_events_resync_0123456789";
    private static final String RC_WEBHOOK_AUTH = "Bearer rc_webhook_auth_0123456789abcdef";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Stripe events, newest first, as the Events API lists them. */
    private final List<String> stripeEvents = new CopyOnWriteArrayList<>();
    private final Map<String, String> subscribers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private TestDatabase db;
    private DataSource pool;
    private HttpServer fake;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.shared().createDatabase().migrate();
        pool = db.newPool(4);
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query == null ? path : path + "?" + query);
            String body;
            int status = 200;
            if (path.equals("/v1/events")) {
                // one page of the window: the paging itself is StripeCatchUpTest's subject
                Matcher gte = Pattern.compile("created\\[gte]=([0-9]+)").matcher(query);
                long from = gte.find() ? Long.parseLong(gte.group(1)) : 0;
                List<String> window = stripeEvents.stream().filter(event -> {
                    Matcher created = Pattern.compile("\"created\":([0-9]+)").matcher(event);
                    return created.find() && Long.parseLong(created.group(1)) >= from;
                }).toList();
                body = "{\"object\":\"list\",\"data\":[" + String.join(",", window)
                        + "],\"has_more\":false,\"url\":\"/v1/events\"}";
            } else if (path.startsWith("/v1/subscribers/") && subscribers.containsKey(path.substring(16))) {
                body = subscribers.get(path.substring(16));
            } else {
                status = 404;
                body = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no such route\"}}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        fake.start();
        String base = "http://127.0.0.1:" + fake.getAddress().getPort();
        Map<String, String> e = new HashMap<>();
        e.put("TOLLGATE_DATABASE_URL", db.jdbcUrl());
        e.put("TOLLGATE_DATABASE_USER", db.user());
        e.put("TOLLGATE_DATABASE_PASSWORD", db.password());
        e.put("TOLLGATE_STRIPE_API_KEY", STRIPE_KEY);
        e.put("TOLLGATE_STRIPE_API_BASE", base);
        e.put("TOLLGATE_REVENUECAT_API_KEY", RC_KEY);
        e.put("TOLLGATE_REVENUECAT_API_BASE", base);
        env = Map.copyOf(e);
    }

    @AfterEach
    void tearDown() {
        fake.stop(0);
        db.close();
    }

    private int run(String... args) {
        return run(env, args);
    }

    private int run(Map<String, String> environment, String... args) {
        out.reset();
        err.reset();
        return EventsCommand.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * A Stripe Event object (https://docs.stripe.com/api/events/object) carrying a subscription
     * (https://docs.stripe.com/api/subscriptions/object), written for this test.
     */
    private static String subscriptionEvent(String id, String tenant, String status, Instant created) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2025-03-31.basil\",\"created\":"
                + created.getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"sub_" + tenant + "\",\"object\":"
                + "\"subscription\",\"customer\":\"cus_" + tenant + "\",\"status\":\"" + status + "\","
                + "\"metadata\":{\"tenant_id\":\"" + tenant + "\"},\"items\":{\"object\":\"list\",\"data\":[{\"id\":"
                + "\"si_" + tenant + "\",\"object\":\"subscription_item\",\"current_period_end\":"
                + created.plus(Duration.ofDays(30)).getEpochSecond() + ",\"price\":{\"id\":\"price_pro\",\"object\":"
                + "\"price\",\"product\":\"prod_pro\"}}]}}},\"livemode\":false,\"pending_webhooks\":1,\"request\":"
                + "{\"id\":null,\"idempotency_key\":null},\"type\":\"customer.subscription.updated\"}";
    }

    private static String otherEvent(String id, Instant created) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2025-03-31.basil\",\"created\":"
                + created.getEpochSecond() + ",\"data\":{\"object\":{\"id\":\"cus_x\",\"object\":\"customer\"}},"
                + "\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":null,\"idempotency_key\":null},"
                + "\"type\":\"customer.created\"}";
    }

    @Test
    void catchUpPreviewsThenAppliesMissedStripeEventsOnceWithGoldenOutput() {
        Instant t0 = CLOCK.instant().minus(Duration.ofHours(20));
        stripeEvents.add(subscriptionEvent("evt_3", "t-2", "past_due", t0.plus(Duration.ofHours(3))));
        stripeEvents.add(otherEvent("evt_2", t0.plus(Duration.ofHours(2))));
        stripeEvents.add(subscriptionEvent("evt_1", "t-1", "active", t0.plus(Duration.ofHours(1))));

        assertEquals(0, run("catch-up", "--since", "1d", "--dry-run"), err.toString());
        assertEquals("""
                catch-up stripe 2026-11-30T09:00:00Z to 2026-12-01T09:00:00Z (dry run)
                ID\tTYPE\tCREATED\tACTION
                evt_3\tcustomer.subscription.updated\t2026-11-30T16:00:00Z\twould_apply
                evt_2\tcustomer.created\t2026-11-30T15:00:00Z\tunhandled_type
                evt_1\tcustomer.subscription.updated\t2026-11-30T14:00:00Z\twould_apply
                listed 3, would apply 2, already processed 0, unhandled type 1, pages 1, rate-limit waits 0
                """, out());
        assertTrue(new PostgresBillingRepository(pool).find("t-1").isEmpty(), "a dry run applies nothing");

        assertEquals(0, run("catch-up", "--since", "2026-11-30T09:00:00Z"), err.toString());
        assertEquals("""
                catch-up stripe 2026-11-30T09:00:00Z to 2026-12-01T09:00:00Z
                ID\tTYPE\tCREATED\tACTION
                evt_3\tcustomer.subscription.updated\t2026-11-30T16:00:00Z\tapplied
                evt_2\tcustomer.created\t2026-11-30T15:00:00Z\tunhandled_type
                evt_1\tcustomer.subscription.updated\t2026-11-30T14:00:00Z\tapplied
                listed 3, applied 2, already processed 0, unhandled type 1, pages 1, rate-limit waits 0
                """, out());
        assertEquals(BillingStatus.ACTIVE, new PostgresBillingRepository(pool).find("t-1").orElseThrow().status());
        assertEquals(BillingStatus.PAST_DUE, new PostgresBillingRepository(pool).find("t-2").orElseThrow().status());
        assertTrue(requests.get(requests.size() - 1).contains("created[gte]=1796029200&created[lte]=1796115600"), requests.toString());

        // the next run (a schedule, or the operator again) continues from the last one: nothing twice
        assertEquals(0, run("catch-up", "--json"), err.toString());
        assertEquals("{\"provider\":\"stripe\",\"dryRun\":false,\"resumed\":false,\"since\":\"2026-12-01T08:00:00Z\","
                + "\"until\":\"2026-12-01T09:00:00Z\",\"listed\":0,\"applied\":0,\"alreadyProcessed\":0,"
                + "\"skippedUnhandledType\":0,\"pages\":1,\"rateLimitWaits\":0,\"caughtUpUntil\":"
                + "\"2026-12-01T09:00:00Z\",\"resumeAfter\":null,\"items\":[]}\n", out());
        assertEquals(0, run("catch-up", "--since", "1d", "--json"), err.toString());
        assertTrue(out().contains("\"applied\":0,\"alreadyProcessed\":2,\"skippedUnhandledType\":1"), out());
        assertFalse(out().contains(STRIPE_KEY) || err.toString().contains(STRIPE_KEY));
    }

    @Test
    void resyncsTheAppUsersOfDeadLetteredRevenueCatEvents() throws Exception {
        AsyncWebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(RevenueCatVerifier.builder().authorization(RC_WEBHOOK_AUTH).build())
                .store(PostgresIdempotencyStore.create(pool, CLOCK))
                .maxAttempts(1)
                .on("*", event -> {
                    throw new IllegalStateException("billing database was read-only");
                })
                .buildAsync();
        List<String> users = List.of("rc_user_1", "rc_user_2", "rc_user_1");
        for (int i = 0; i < users.size(); i++) {
            // a RevenueCat webhook (https://www.revenuecat.com/docs/integrations/webhooks/event-types-and-fields)
            String body = "{\"api_version\":\"1.0\",\"event\":{\"type\":\"RENEWAL\",\"id\":\"rc_evt_" + i + "\","
                    + "\"event_timestamp_ms\":1764579600000,\"app_user_id\":\"" + users.get(i) + "\"}}";
            assertEquals("queued", pipeline.handle("revenuecat", WebhookRequest.of(
                    Map.of("Authorization", RC_WEBHOOK_AUTH), body.getBytes(StandardCharsets.UTF_8))).status());
        }
        try (WebhookWorker worker = pipeline.newWorker()) {
            while (worker.runOnce() > 0) {
                // drain
            }
        }
        assertEquals(0, run("list", "--state", "dead", "--provider", "revenuecat"));
        assertEquals(4, out().lines().count(), out());
        Instant expires = CLOCK.instant().plus(Duration.ofDays(20));
        subscribers.put("rc_user_1", body("rc_user_1").replace("EXPIRES", expires.toString()));
        // rc_user_2 is unknown to the fake: RevenueCat answers 404

        assertEquals(1, run("resync", "revenuecat", "--dead-letters"), "one of two failed");
        List<String> lines = new ArrayList<>(out().lines().toList());
        assertEquals("APP USER\tTENANT\tOUTCOME\tDETAIL", lines.get(0));
        assertEquals(3, lines.size(), out());
        assertTrue(lines.contains("rc_user_1\trc_user_1\tapplied\t" + lines.stream()
                .filter(l -> l.startsWith("rc_user_1")).findFirst().orElseThrow().split("\t")[3]), out());
        assertTrue(out().contains("rc_user_2\trc_user_2\tfailed_provider_unavailable\tRevenueCat answered HTTP 404"),
                out());
        assertTrue(err.toString().contains("1 of 2 re-syncs failed"), err.toString());
        assertFalse(out().contains(RC_KEY) || err.toString().contains(RC_KEY.substring(0, 20)), "the key is masked");
        TenantBilling state = new PostgresBillingRepository(pool).find("rc_user_1").orElseThrow();
        assertEquals(BillingStatus.ACTIVE, state.status());
        assertEquals(BillingProvider.REVENUECAT, state.provider());

        subscribers.put("rc_user_2", body("rc_user_2").replace("EXPIRES", expires.toString()));
        assertEquals(0, run("resync", "revenuecat", "--app-user", "rc_user_2", "--json"), err.toString());
        assertTrue(out().startsWith("[{\"appUser\":\"rc_user_2\",\"tenant\":\"rc_user_2\",\"outcome\":\"applied\""),
                out());
        assertTrue(requests.contains("/v1/subscribers/rc_user_2"), requests.toString());
    }

    /** A RevenueCat subscriber (https://www.revenuecat.com/docs/api-v1#tag/customers), written for this test. */
    private static String body(String user) {
        return "{\"request_date\":\"2026-12-01T09:00:00Z\",\"subscriber\":{\"original_app_user_id\":\"" + user + "\","
                + "\"entitlements\":{\"pro\":{\"expires_date\":\"EXPIRES\",\"product_identifier\":\"com.example.pro\"}},"
                + "\"subscriptions\":{\"com.example.pro\":{\"expires_date\":\"EXPIRES\",\"period_type\":\"normal\","
                + "\"billing_issues_detected_at\":null,\"unsubscribe_detected_at\":null}}}}";
    }

    @Test
    void badArgumentsExitTwo() {
        String[][] bad = {
            {"catch-up", "--since", "yesterday"}, {"catch-up", "evt_1"}, {"catch-up", "--dead-letters"},
            {"catch-up", "--stripe-api-base", "ftp://x"}, {"resync"}, {"resync", "stripe", "--dead-letters"},
            {"resync", "revenuecat"}, {"resync", "revenuecat", "--dead-letters", "--app-user", "u1"},
            {"list", "--since", "1d"}, {"list", "--dry-run"}, {"show", "evt_1", "--app-user", "u1"},
        };
        for (String[] args : bad) {
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(err.toString().contains("usage: events"), String.join(" ", args) + ": " + err);
        }
        assertEquals(2, run("catch-up", "--since", "40d"));
        assertTrue(err.toString().contains("older than Stripe keeps events (30 days): give 2026-11-01T09:00:00Z"),
                err.toString());
        assertEquals(2, run("catch-up"));
        assertTrue(err.toString().contains("give the time to catch up from --since"), err.toString());
        Map<String, String> noKey = new HashMap<>(env);
        noKey.remove("TOLLGATE_STRIPE_API_KEY");
        assertEquals(2, run(noKey, "catch-up", "--since", "1d"));
        assertTrue(err.toString().contains("no Stripe API key"), err.toString());
        assertEquals(0, run("--help"));
        assertTrue(out().contains("events catch-up [--since TIME]"), out());
    }
}
