package dev.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The trigger command against a JDK HttpServer on 127.0.0.1 wrapping a real pipeline. */
class TriggerTest {

    private static final String STRIPE = "whsec_trigger_test_secret_4242";
    private static final String REVENUECAT = "rc_trigger_token_secret_7777";
    private static final String STANDARD = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("trigger-standard-key-0123456789".getBytes(StandardCharsets.UTF_8));

    private final List<WebhookEvent> handled = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private PipelineHttpServer server;
    private String out = "";
    private String err = "";

    @BeforeEach
    void startServer() throws Exception {
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder().secret(STRIPE).build())
                .verifier(RevenueCatVerifier.builder().authorization(REVENUECAT).build())
                .verifier(StandardWebhooksVerifier.builder().secret(STANDARD).build())
                .store(InMemoryIdempotencyStore.builder().build())
                .on("*", event -> {
                    if (failing.get()) {
                        throw new IllegalStateException("handler down");
                    }
                    handled.add(event);
                })
                .build();
        server = new PipelineHttpServer(pipeline::handle);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private int run(Map<String, String> env, String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            code = Trigger.run(args, env, o, e);
        }
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        for (String secret : List.of(STRIPE, REVENUECAT, STANDARD, "trigger_test_secret", "trigger_token_secret")) {
            assertFalse(out.contains(secret) || err.contains(secret), () -> "a secret was printed:\n" + out + err);
        }
        return code;
    }

    private String url(String provider) {
        return server.url(provider).toString();
    }

    private List<String> outLines() {
        return List.of(out.split("\n"));
    }

    @Test
    @DisplayName("--help prints the usage with every event type and exits 0")
    void help() {
        assertEquals(0, run(Map.of(), "--help"));
        assertTrue(out.startsWith("usage: trigger <event-type> --url URL"), out);
        assertTrue(out.contains("invoice.payment_action_required") && out.contains("NON_RENEWING_PURCHASE"), out);
        assertTrue(out.contains("TOLLGATE_STRIPE_WEBHOOK_SECRET or STRIPE_WEBHOOK_SECRET"), out);
        assertEquals("", err);
    }

    @Test
    @DisplayName("invoice.paid --times 3: one line per response, processed then already_processed, and a summary")
    void timesThree() {
        assertEquals(0, run(Map.of(), "invoice.paid", "--url", url("stripe"), "--secret", STRIPE, "--times", "3"));
        List<String> lines = outLines();
        assertEquals(5, lines.size(), out);
        assertTrue(lines.get(0).matches("sending stripe invoice\\.paid evt_\\w{24} 3 time\\(s\\) to "
                + url("stripe") + " \\(secret whsec_…4242\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("1 200 \\{\"status\":\"processed\",\"event_id\":\"evt_\\w+\"}"), lines.get(1));
        assertTrue(lines.get(2).startsWith("2 200 {\"status\":\"skipped\",\"reason\":\"already_processed\""), lines.get(2));
        assertTrue(lines.get(3).startsWith("3 200 {\"status\":\"skipped\""), lines.get(3));
        assertEquals("summary: 3 sent, 200 ×3; server errors: 0", lines.get(4));
        assertEquals(1, handled.size());
        assertEquals("invoice.paid", handled.get(0).type());
    }

    @Test
    @DisplayName("--concurrent 10 with --tenant, --customer, --status, --event-id: one effect carrying those values")
    void concurrentWithValues() {
        assertEquals(0, run(Map.of("TOLLGATE_STRIPE_WEBHOOK_SECRET", STRIPE), "customer.subscription.updated",
                "--url=" + url("stripe"), "--concurrent", "10", "--tenant", "tenant-7", "--customer", "cus_7",
                "--status", "past_due", "--event-id", "evt_trigger_7"));
        assertEquals(1, outLines().stream().filter(l -> l.contains("\"processed\"")).count(), out);
        assertTrue(outLines().get(0).contains("10 time(s) concurrently"), out);
        assertEquals(1, handled.size());
        JsonNode sub = handled.get(0).json().at("/data/object");
        assertEquals("evt_trigger_7", handled.get(0).id());
        assertEquals("tenant-7", sub.at("/metadata/tenant_id").asText());
        assertEquals("cus_7", sub.get("customer").asText());
        assertEquals("past_due", sub.get("status").asText());

        assertEquals(0, run(Map.of("STRIPE_WEBHOOK_SECRET", STRIPE), "customer.subscription.updated", "--url",
                url("stripe"), "--event-id", "evt_trigger_7"));
        assertTrue(out.contains("already_processed"), "the same --event-id later is a duplicate: " + out);
    }

    @Test
    @DisplayName("the TOLLGATE_ variable wins over the provider's; 4xx answers are printed and exit 0")
    void secretPrecedenceAndRefusal() {
        assertEquals(0, run(Map.of("TOLLGATE_STRIPE_WEBHOOK_SECRET", STRIPE, "STRIPE_WEBHOOK_SECRET",
                "whsec_wrong_wrong_wrong_0000"), "invoice.paid", "--url", url("stripe")));
        assertTrue(out.contains("\"processed\""), out);
        assertEquals(0, run(Map.of("TOLLGATE_STRIPE_WEBHOOK_SECRET", "whsec_wrong_wrong_wrong_0000"),
                "invoice.paid", "--url", url("stripe")));
        assertTrue(out.contains("1 400 {\"status\":\"rejected\",\"reason\":\"signature_mismatch\"}"), out);
        assertTrue(out.contains("secret whsec_…0000"), out);
    }

    @Test
    @DisplayName("RevenueCat (provider from the event type, bearer from the environment) and Standard Webhooks")
    void otherProviders() {
        assertEquals(0, run(Map.of("REVENUECAT_WEBHOOK_SECRET", REVENUECAT), "BILLING_ISSUE", "--url",
                url("revenuecat"), "--tenant", "tenant-rc"));
        assertTrue(out.contains("sending revenuecat BILLING_ISSUE"), out);
        assertEquals("tenant-rc", handled.get(0).json().at("/event/app_user_id").asText());

        assertEquals(0, run(Map.of("TOLLGATE_REVENUECAT_WEBHOOK_SECRET", "wrong-token-000000000"), "RENEWAL", "--url",
                url("revenuecat")));
        assertTrue(out.contains("1 401 {\"status\":\"rejected\",\"reason\":\"authorization_mismatch\"}"), out);

        assertEquals(0, run(Map.of(), "thing.happened", "--provider", "standard", "--secret", STANDARD, "--url",
                url("standard-webhooks"), "--tenant", "t-s", "--times", "2"));
        assertTrue(out.contains("1 200 {\"status\":\"processed\""), out);
        assertTrue(out.contains("2 200 {\"status\":\"skipped\""), out);
        WebhookEvent standard = handled.get(handled.size() - 1);
        assertEquals("thing.happened", standard.type());
        assertEquals("t-s", standard.json().at("/data/tenant_id").asText());
    }

    @Test
    @DisplayName("a 5xx answer or no answer at all exits 1")
    void serverErrors() throws Exception {
        failing.set(true);
        assertEquals(1, run(Map.of(), "invoice.paid", "--url", url("stripe"), "--secret", STRIPE));
        assertTrue(out.contains("1 500 {\"status\":\"failed\",\"reason\":\"handler_failed\""), out);
        assertTrue(out.contains("server errors: 1"), out);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(1, run(Map.of(), "invoice.paid", "--url", "http://127.0.0.1:" + port + "/webhooks/stripe",
                "--secret", STRIPE));
        assertTrue(out.contains("1 0 no answer from"), out);
        assertTrue(out.contains("no response ×1"), out);
    }

    @Test
    @DisplayName("usage errors exit 2 with every problem named, and never echo the secret")
    void usageErrors() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {});
        cases.add(new String[] {"invoice.paid", "--secret", STRIPE});
        cases.add(new String[] {"invoice.paid", "--url", url("stripe"), "--secret", STRIPE, "--bogus", "x"});
        cases.add(new String[] {"invoice.paid", "--url", url("stripe"), "--secret", STRIPE, "--times", "0"});
        cases.add(new String[] {"invoice.paid", "--url", url("stripe"), "--secret", STRIPE, "--times", "2",
                "--concurrent", "2"});
        cases.add(new String[] {"charge.refunded", "--url", url("stripe"), "--secret", STRIPE});
        cases.add(new String[] {"invoice.paid", "--url", url("stripe"), "--secret", STRIPE, "--status", "past_due"});
        cases.add(new String[] {"invoice.paid", "--url", "ftp://host/x", "--secret", STRIPE, "--provider", "paypal"});
        cases.add(new String[] {"invoice.paid", "--url", url("stripe")});
        cases.add(new String[] {"RENEWAL", "--url", url("revenuecat"), "--secret", REVENUECAT, "--status", "active"});
        cases.add(new String[] {"x", "--provider", "standard", "--url", url("standard-webhooks"), "--secret", "whsec_!!"});
        for (String[] args : cases) {
            assertEquals(2, run(Map.of(), args), () -> String.join(" ", args) + "\n" + err);
            assertTrue(err.startsWith("trigger: "), err);
        }
        run(Map.of(), "invoice.paid", "--secret", STRIPE, "--times", "x", "--bogus");
        assertTrue(err.contains("--url is required") && err.contains("--times must be a number, but was x")
                && err.contains("unknown option --bogus"), err);
        run(Map.of(), "invoice.paid", "--url", url("stripe"));
        assertTrue(err.contains("pass --secret or set TOLLGATE_STRIPE_WEBHOOK_SECRET or STRIPE_WEBHOOK_SECRET"), err);
        run(Map.of(), "invoice.paid", "--url", url("stripe"), "--secret", STRIPE, "--times", "2", "--concurrent", "2");
        assertTrue(err.contains("use --times or --concurrent, not both"), err);
        assertTrue(handled.isEmpty(), "nothing is sent on a usage error");
    }
}
