package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.WebhookEvents;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookWorker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** RevenueCat re-sync of dead-lettered app users against a local fake of {@code GET /v1/subscribers/{id}}. */
@TollgatePostgres
class RevenueCatResyncTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    private static final String AUTH = "Bearer rc_webhook_resync_test_0123456789";

    @Test
    void deadLetteredUsersAreReadFromPayloadsMappedToTenantsAndResyncedOneByOne(DataSource ds) throws Exception {
        MutableClock clock = new MutableClock(NOW);
        AsyncWebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(RevenueCatVerifier.builder().authorization(AUTH).build())
                .store(PostgresIdempotencyStore.create(ds, clock)).maxAttempts(1)
                .on("*", event -> {
                    throw new IllegalStateException("downstream said no");
                })
                .buildAsync();
        // RevenueCat webhook bodies (https://www.revenuecat.com/docs/integrations/webhooks/event-types-and-fields)
        String[] users = {"app_a", "app_b", "app_a", null};
        for (int i = 0; i < users.length; i++) {
            String body = "{\"api_version\":\"1.0\",\"event\":{\"type\":\"RENEWAL\",\"id\":\"resync_evt_" + i + "\","
                    + "\"event_timestamp_ms\":1764579600000" + (users[i] == null ? "" : ",\"app_user_id\":\""
                    + users[i] + "\"") + "}}";
            pipeline.handle("revenuecat", WebhookRequest.of(Map.of("Authorization", AUTH),
                    body.getBytes(StandardCharsets.UTF_8)));
            clock.advance(Duration.ofSeconds(1));
        }
        try (WebhookWorker worker = pipeline.newWorker()) {
            while (worker.runOnce() > 0) {
                // drain: all four dead-lettered
            }
        }

        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            boolean known = exchange.getRequestURI().getRawPath().equals("/v1/subscribers/app_a");
            byte[] body = (known ? "{\"subscriber\":{\"entitlements\":{\"pro\":{\"expires_date\":\""
                    + NOW.plus(Duration.ofDays(9)) + "\"}},\"subscriptions\":{\"pro_monthly\":{\"expires_date\":\""
                    + NOW.plus(Duration.ofDays(9)) + "\"}}}}" : "{\"message\":\"not found\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            BillingReconciler reconciler = BillingReconciler.builder().applier(BillingEventApplier.ofDefaults())
                    .target(ds).revenueCat(Secret.of("sk_rc_resync_test_0123456789"))
                    .revenueCatApiBase(URI.create("http://127.0.0.1:" + fake.getAddress().getPort()))
                    .revenueCatUserIds(tenant -> tenant.substring("tenant-".length())).clock(clock).build();
            RevenueCatResync resync = RevenueCatResync.of(reconciler, WebhookEvents.create(ds, clock), "revenuecat",
                    user -> "tenant-" + user);

            List<String> dead = resync.deadLetteredUsers(100);
            assertEquals(List.of("app_a", "app_b"), dead, "distinct, newest dead letter first; no user, no entry");

            List<RevenueCatResync.Outcome> outcomes = resync.resync(List.of("app_b", "app_a", "app_b"));
            assertEquals(2, outcomes.size());
            assertEquals("tenant-app_b", outcomes.get(0).tenantId());
            assertNull(outcomes.get(0).result());
            assertEquals(BillingException.Reason.PROVIDER_UNAVAILABLE, outcomes.get(0).failure().reason());
            assertNotNull(outcomes.get(1).result(), "one failing does not stop the others");
            assertEquals(ApplyResult.Outcome.APPLIED, outcomes.get(1).result().outcome());
            assertEquals(BillingStatus.ACTIVE,
                    new PostgresBillingRepository(ds).find("tenant-app_a").orElseThrow().status());
        } finally {
            fake.stop(0);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new RevenueCatResync.Outcome("u", "t", null, null), "exactly one of result and failure");
    }
}
