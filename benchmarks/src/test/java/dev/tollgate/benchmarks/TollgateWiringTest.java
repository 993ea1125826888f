package dev.tollgate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmarks measure Tollgate's own code, on the path they name, with the real schema. */
@TollgatePostgres(migrate = false)
class TollgateWiringTest {

    private final DataSource dataSource;

    TollgateWiringTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeEach
    void emptyTable() {
        EventsTable.reset(dataSource);
    }

    @Test
    void transactionalPipelineStoresANewEventProcessedAndSkipsItsDuplicate() throws SQLException {
        WebhookPipeline pipeline = BenchmarkPipelines.transactional(dataSource);
        NewStripeDelivery delivery = new NewStripeDelivery();
        delivery.prepare();
        WebhookResult first = BenchmarkPipelines.require(pipeline.handle("stripe", delivery.request()), "processed", null);
        BenchmarkPipelines.require(pipeline.handle("stripe", delivery.request()), "skipped", "already_processed");
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT state, event_type, attempts, octet_length(payload), "
                     + "processed_at IS NOT NULL FROM webhooks.events WHERE provider = 'stripe' AND event_id = ?")) {
            s.setString(1, first.eventId());
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the claim wrote webhooks.events");
                assertEquals("processed", rs.getString(1));
                assertEquals(StripeEventFixture.TYPE, rs.getString(2));
                assertEquals(1, rs.getInt(3));
                assertEquals(StripeEventFixture.PAYLOAD_BYTES, rs.getInt(4));
                assertTrue(rs.getBoolean(5));
            }
        }
    }

    @Test
    void eightConcurrentDeliveriesOfOneEventAreProcessedOnce() throws Exception {
        WebhookPipeline pipeline = BenchmarkPipelines.transactional(dataSource);
        NewStripeDelivery delivery = new NewStripeDelivery();
        delivery.prepare();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<WebhookResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> pipeline.handle("stripe", delivery.request()));
            }
            long processed = 0;
            for (Future<WebhookResult> f : threads.invokeAll(calls)) {
                WebhookResult r = f.get();
                assertTrue(r.isSuccess(), r.toJson());
                processed += r.status().equals("processed") ? 1 : 0;
            }
            assertEquals(1, processed);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, EventsTable.count(dataSource));
    }

    @Test
    void newDeliveriesAreDistinctAndSigned() {
        NewStripeDelivery delivery = new NewStripeDelivery();
        delivery.prepare();
        byte[] first = delivery.request().body();
        delivery.prepare();
        assertNotEquals(new String(first, StandardCharsets.UTF_8),
                new String(delivery.request().body(), StandardCharsets.UTF_8));
        assertEquals(StripeEventFixture.PAYLOAD_BYTES, delivery.request().bodyLength());
        BenchmarkPipelines.stripeVerifier().verify(delivery.request());
        assertThrows(SignatureException.class,
                () -> BenchmarkPipelines.stripeVerifier().verify(first, delivery.request().header("Stripe-Signature")
                        .orElseThrow()), "the signature covers the body");
    }

    @Test
    void verifyAndParsePipelineParsesWithoutClaiming() {
        String payload = StripeEventFixture.subscriptionUpdated("evt_parsedNotClaimed");
        String header = StripeEventFixture.signatureHeader(payload, System.currentTimeMillis() / 1000,
                StripeEventFixture.SECRET);
        WebhookResult result = BenchmarkPipelines.verifyAndParseOnly()
                .handle("stripe", BenchmarkPipelines.request(payload, header));
        BenchmarkPipelines.require(result, "skipped", "unhandled_type");
        assertEquals("evt_parsedNotClaimed", result.eventId());
        WebhookResult forged = BenchmarkPipelines.verifyAndParseOnly()
                .handle("stripe", BenchmarkPipelines.request(payload.replace("past_due", "active__"), header));
        assertEquals(400, forged.httpStatus(), "a tampered body is refused before parsing: " + forged.toJson());
    }

    @Test
    void requireRefusesAnotherAnswer() {
        assertThrows(IllegalStateException.class,
                () -> BenchmarkPipelines.require(WebhookResult.skipped("already_processed", "evt_x"), "processed", null));
        assertThrows(IllegalStateException.class,
                () -> BenchmarkPipelines.require(WebhookResult.skipped("already_processed", "evt_x"), "skipped",
                        "unhandled_type"));
    }

    @Test
    void signatureBenchmarkSetUpAcceptsEveryPath() throws Exception {
        StripeSignatureBenchmark benchmark = new StripeSignatureBenchmark();
        benchmark.checkEveryPathAccepts();
        assertTrue(benchmark.tollgateVerify());
        assertEquals("unhandled_type", benchmark.tollgateVerifyParse().reason());
    }

    @Test
    void gateBenchmarkAllowsTheActiveTenantFromItsCache() {
        GateBenchmark benchmark = new GateBenchmark();
        benchmark.warmCache();
        BillingDecision decision = benchmark.cachedDecision();
        assertTrue(decision.allowed());
        assertFalse(decision.wouldDeny());
        assertEquals(200, decision.httpStatus());
    }
}
