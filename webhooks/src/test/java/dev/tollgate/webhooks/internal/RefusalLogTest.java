package dev.tollgate.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Refused deliveries are visible in the log without flooding it, and nothing secret is written. */
class RefusalLogTest {

    private static final String SECRET = "whsec_refusal_log_test_0123456789";

    @Test
    void theFirstRefusalOfAKindInAMinuteIsAWarningTheRestDebug() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RefusalLog log = new RefusalLog(now::get);
        var logger = LoggerFactory.getLogger(RefusalLogTest.class);
        assertTrue(log.refused(logger, "stripe", "signature_mismatch"));
        assertFalse(log.refused(logger, "stripe", "signature_mismatch"));
        assertTrue(log.refused(logger, "stripe", "timestamp_outside_tolerance"), "another reason has its own minute");
        assertTrue(log.refused(logger, "revenuecat", "signature_mismatch"), "another provider too");
        now.addAndGet(RefusalLog.QUIET_NANOS - 1);
        assertFalse(log.refused(logger, "stripe", "signature_mismatch"));
        now.addAndGet(1);
        assertTrue(log.refused(logger, "stripe", "signature_mismatch"), "a minute later: a warning again");
    }

    @Test
    void aForgedDeliveryIsLoggedOnceAtWarnWithProviderAndReasonOnly() {
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder().secret(SECRET).build())
                .store(InMemoryIdempotencyStore.builder().build())
                .on("*", event -> { })
                .build();
        String header = "t=" + (System.currentTimeMillis() / 1000)
                + ",v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";
        WebhookRequest forged = WebhookRequest.of(Map.of(StripeVerifier.SIGNATURE_HEADER, header),
                "{\"id\":\"evt_forged\",\"type\":\"invoice.paid\",\"customer_email\":\"alice@example.com\"}"
                        .getBytes(StandardCharsets.UTF_8));

        String logged = stderrDuring(() -> {
            for (int i = 0; i < 5; i++) {
                assertEquals("signature_mismatch", pipeline.handle("stripe", forged).reason());
            }
        });

        assertEquals(1, logged.lines().filter(l -> l.contains("WARN")).count(), logged);
        assertTrue(logged.contains("stripe webhook delivery refused: signature_mismatch"), logged);
        for (String secret : new String[] {SECRET, "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
                "alice@example.com", "evt_forged"}) {
            assertFalse(logged.contains(secret), "logged " + secret + ": " + logged);
        }
    }

    /** slf4j-simple looks System.err up for every line, so swapping it captures what the pipeline logs. */
    private static synchronized String stderrDuring(Runnable block) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            block.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
