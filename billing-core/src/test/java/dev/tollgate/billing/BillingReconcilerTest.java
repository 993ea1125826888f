package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.StripeClient;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.Secret;
import dev.tollgate.billing.ApplyResult.Outcome;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class BillingReconcilerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final String STRIPE_KEY = "sk_test_51FakeKeyForTheLocalServerOnly0001";
    private static final String RC_KEY = "sk_revenuecat_fake_key_for_tests_0002";

    /** Fake provider: path (with query) → status and body. */
    private final Map<String, Map.Entry<Integer, String>> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(NOW);
    private final BillingEventApplier applier = BillingEventApplier.ofDefaults();
    private HttpServer server;

    @BeforeEach
    void startFakeProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(query == null ? path : path + "?" + query);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            Map.Entry<Integer, String> route = routes.getOrDefault(path,
                    Map.entry(404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"no such route\"}}"));
            byte[] body = route.getValue().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(route.getKey(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopFakeProvider() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private StripeClient stripeClient() {
        return StripeClient.builder().setApiKey(STRIPE_KEY).setApiBase(base()).setMaxNetworkRetries(0).build();
    }

    private static String list(ObjectNode... subscriptions) {
        ObjectNode list = Fixtures.JSON.createObjectNode();
        list.put("object", "list");
        list.put("url", "/v1/subscriptions");
        list.put("has_more", false);
        ArrayNode data = list.putArray("data");
        for (ObjectNode s : subscriptions) {
            data.add(s);
        }
        return list.toString();
    }

    @Test
    void theReconcilerWorksUnderANonOwnerRoleWithRowLevelSecurity(TestDatabase db) throws SQLException {
        try (NonOwnerRole role = NonOwnerRole.create(db)) {
            DataSource app = role.dataSource();
            applier.apply(app, Fixtures.stripe("evt_rls_checkout", "checkout.session.completed", NOW.minusSeconds(30),
                    Fixtures.checkoutSession("cus_rls_sync", "rls-sync-tenant", null)));
            routes.put("/v1/subscriptions", Map.entry(200, list(Fixtures.subscription("sub_rls_sync", "cus_rls_sync",
                    "past_due", null, NOW.plus(Duration.ofDays(30)), "price_pro"))));
            ApplyResult result = BillingReconciler.builder().applier(applier).target(app).stripe(stripeClient())
                    .clock(clock).build().sync("rls-sync-tenant");
            assertEquals(Outcome.APPLIED, result.outcome(), result.toString());
            assertEquals(BillingStatus.PAST_DUE,
                    new PostgresBillingRepository(app).find("rls-sync-tenant").orElseThrow().status());
            assertTrue(requests.get(0).contains("customer=cus_rls_sync"), "the customer was found under RLS");
        }
    }

    @Test
    void checkoutRedirectRaceIsClosedBySyncAndTheLateWebhookIsStale(DataSource ds) {
        String tenant = "race-tenant";
        String customer = "cus_race";
        applier.apply(ds, Fixtures.stripe("evt_checkout", "checkout.session.completed", NOW.minusSeconds(30),
                Fixtures.checkoutSession(customer, tenant, null)));
        Instant periodEnd = NOW.plus(Duration.ofDays(30));
        ObjectNode old = Fixtures.subscription("sub_old", customer, "canceled", null, NOW.minus(Duration.ofDays(60)),
                "price_old");
        old.put("created", 1_600_000_000L);
        ObjectNode live = Fixtures.subscription("sub_live", customer, "active", null, periodEnd, "price_pro");
        live.put("created", 1_700_000_000L);
        routes.put("/v1/subscriptions", Map.entry(200, list(old, live)));

        BillingReconciler reconciler = BillingReconciler.builder().applier(applier).target(ds).stripe(stripeClient())
                .clock(clock).build();
        ApplyResult result = reconciler.sync(tenant);

        assertEquals(Outcome.APPLIED, result.outcome());
        TenantBilling state = new PostgresBillingRepository(ds).find(tenant).orElseThrow();
        assertEquals(BillingStatus.ACTIVE, state.status());
        assertEquals("sub_live", state.subscriptionId(), "the live subscription wins over the ended one");
        assertEquals("price_pro", state.planId());
        assertEquals(periodEnd, state.currentPeriodEnd());
        assertTrue(requests.get(0).startsWith("/v1/subscriptions?"), requests.toString());
        assertTrue(requests.get(0).contains("customer=cus_race") && requests.get(0).contains("status=all"),
                requests.toString());
        assertEquals("Bearer " + STRIPE_KEY, authorizations.get(0));

        // The webhook that was created before the fetch arrives late: it must not undo the sync.
        ApplyResult late = applier.apply(ds, Fixtures.stripe("evt_late", "customer.subscription.created",
                NOW.minusSeconds(20), Fixtures.subscription("sub_live", customer, "incomplete", null, periodEnd,
                        "price_pro")));
        assertEquals(Outcome.STALE, late.outcome());
        assertEquals(BillingStatus.ACTIVE, new PostgresBillingRepository(ds).find(tenant).orElseThrow().status());
    }

    @Test
    void repairRetrievesTheKnownSubscription() {
        InMemoryBillingRepository memory = new InMemoryBillingRepository(clock);
        memory.put(new TenantBilling("repair", BillingStatus.ACTIVE, BillingProvider.STRIPE, null, "sub_r", "price",
                List.of(), null, null, NOW.minus(Duration.ofDays(3)), "evt_1", NOW.minus(Duration.ofDays(3)), "evt_1",
                NOW.minus(Duration.ofDays(3))), "test");
        routes.put("/v1/subscriptions/sub_r", Map.entry(200,
                Fixtures.subscription("sub_r", "cus_r", "past_due", null, NOW.plus(Duration.ofDays(2)), "price")
                        .toString()));
        BillingReconciler reconciler = BillingReconciler.builder().applier(applier).target(memory)
                .stripe(stripeClient()).clock(clock).build();
        assertEquals(Outcome.APPLIED, reconciler.sync("repair").outcome());
        assertEquals(BillingStatus.PAST_DUE, memory.find("repair").orElseThrow().status());
        assertEquals(List.of("/v1/subscriptions/sub_r"), requests);
    }

    @Test
    void customerWithoutSubscriptionsBecomesNone(DataSource ds) {
        applier.apply(ds, Fixtures.stripe("evt_c2", "checkout.session.completed", NOW.minusSeconds(5),
                Fixtures.checkoutSession("cus_empty", "empty-tenant", null)));
        routes.put("/v1/subscriptions", Map.entry(200, list()));
        BillingReconciler reconciler = BillingReconciler.builder().applier(applier).target(ds).stripe(stripeClient())
                .clock(clock).build();
        reconciler.sync("empty-tenant");
        assertEquals(BillingStatus.NONE, new PostgresBillingRepository(ds).find("empty-tenant").orElseThrow().status());
    }

    @Test
    void providerErrorsAreClearAndKeepTheKeySecret(DataSource ds) {
        applier.apply(ds, Fixtures.stripe("evt_c3", "checkout.session.completed", NOW.minusSeconds(5),
                Fixtures.checkoutSession("cus_err", "err-tenant", null)));
        routes.put("/v1/subscriptions", Map.entry(500,
                "{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"));
        BillingReconciler stripe = BillingReconciler.builder().applier(applier).target(ds).stripe(stripeClient())
                .clock(clock).build();
        BillingException e = assertThrows(BillingException.class, () -> stripe.sync("err-tenant"));
        assertEquals(BillingException.Reason.PROVIDER_UNAVAILABLE, e.reason());
        assertFalse(e.getMessage().contains(STRIPE_KEY));
        assertTrue(new PostgresBillingRepository(ds).find("err-tenant").isEmpty(), "nothing applied");

        routes.put("/v1/subscribers/locked", Map.entry(401, "{\"message\":\"invalid key\"}"));
        BillingReconciler rc = BillingReconciler.builder().applier(applier).target(ds).revenueCat(Secret.of(RC_KEY))
                .revenueCatApiBase(URI.create(base())).clock(clock).build();
        BillingException unauthorized = assertThrows(BillingException.class, () -> rc.sync("locked"));
        assertEquals(BillingException.Reason.PROVIDER_UNAVAILABLE, unauthorized.reason());
        assertTrue(unauthorized.getMessage().contains("401"), unauthorized.getMessage());
        assertFalse(unauthorized.getMessage().contains(RC_KEY), unauthorized.getMessage());
    }

    @Test
    void revenueCatSubscriberIsFetchedAndMapped(DataSource ds) {
        Instant expires = NOW.plus(Duration.ofDays(5));
        routes.put("/v1/subscribers/rc%20user%2F1", Map.entry(200, "{\"request_date\":\"2026-11-23T12:00:00Z\","
                + "\"subscriber\":{\"entitlements\":{\"pro\":{\"expires_date\":\"" + expires + "\","
                + "\"product_identifier\":\"com.example.pro\"},\"old\":{\"expires_date\":\"2025-01-01T00:00:00Z\"}},"
                + "\"subscriptions\":{\"com.example.pro\":{\"expires_date\":\"" + expires + "\",\"period_type\":\"normal\","
                + "\"billing_issues_detected_at\":null,\"unsubscribe_detected_at\":null,"
                + "\"original_transaction_id\":\"1000\"}}}}"));
        BillingReconciler reconciler = BillingReconciler.builder().applier(applier).target(ds)
                .revenueCat(Secret.of(RC_KEY)).revenueCatApiBase(URI.create(base() + "/"))
                .revenueCatUserIds(tenant -> "rc user/1").clock(clock).build();
        assertEquals(Outcome.APPLIED, reconciler.sync("rc-tenant").outcome());
        TenantBilling state = new PostgresBillingRepository(ds).find("rc-tenant").orElseThrow();
        assertEquals(BillingStatus.ACTIVE, state.status());
        assertEquals(List.of("pro"), state.entitlementIds());
        assertEquals(expires, state.currentPeriodEnd());
        assertEquals(BillingProvider.REVENUECAT, state.provider());
        assertEquals("Bearer " + RC_KEY, authorizations.get(0));

        routes.put("/v1/subscribers/rc%20user%2F1", Map.entry(200, "{\"subscriber\":{\"entitlements\":{},"
                + "\"subscriptions\":{\"com.example.pro\":{\"expires_date\":\"" + NOW.minusSeconds(60) + "\","
                + "\"grace_period_expires_date\":\"" + NOW.plus(Duration.ofDays(2)) + "\","
                + "\"billing_issues_detected_at\":\"" + NOW.minus(Duration.ofDays(1)) + "\"}}}}"));
        clock.advance(Duration.ofSeconds(1));
        reconciler.sync("rc-tenant");
        TenantBilling issue = new PostgresBillingRepository(ds).find("rc-tenant").orElseThrow();
        assertEquals(BillingStatus.PAST_DUE, issue.status());
        assertEquals(NOW.plus(Duration.ofDays(2)), issue.graceUntil());
    }

    @Test
    void configurationProblemsAreReportedTogetherAndUnknownTenantsHaveNothingToReconcile() {
        BillingException e = assertThrows(BillingException.class, () -> BillingReconciler.builder()
                .revenueCatApiBase(URI.create("ftp://example.com")).timeout(Duration.ZERO).build());
        for (String part : List.of("applier is required", "a target is required", "configure at least one provider",
                "revenueCatApiBase must be an absolute http(s) URI", "timeout must be positive")) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " lacks " + part);
        }
        InMemoryBillingRepository memory = new InMemoryBillingRepository(clock);
        BillingReconciler reconciler = BillingReconciler.builder().applier(applier).target(memory)
                .stripe(stripeClient()).build();
        assertEquals(BillingException.Reason.NOTHING_TO_RECONCILE,
                assertThrows(BillingException.class, () -> reconciler.sync("nobody")).reason());
        assertTrue(requests.isEmpty());
    }
}
