package dev.tollgate.health.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.ISpan;
import io.sentry.ITransaction;
import io.sentry.Sentry;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentryScrubberTest {

    /** Every value here must be gone from what Sentry would send. */
    static final List<String> SECRETS = List.of(
            "alice@example.com", "bob.smith+billing@corp.example.org",
            "sk_live_51HxYzAbCdEfGhIjKlMnOpQr", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZI",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
            "hunter2hunter2", "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
            "4242424242424242", "4000 0566 5566 5556", "4242-4242-4242-4242", "session=abc123cookievalue",
            "rc-shared-secret-value", "opaque-token-value-123", "203.0.113.7");

    @Test
    void scrubsEveryPartOfAnEvent() {
        SentryEvent event = new SentryEvent();
        Message message = new Message();
        message.setMessage("payment failed for alice@example.com with card 4242424242424242");
        message.setFormatted("payment failed for alice@example.com with card 4242424242424242");
        message.setParams(List.of("alice@example.com", "Bearer opaque-token-value-123"));
        event.setMessage(message);
        io.sentry.protocol.SentryException exception = new io.sentry.protocol.SentryException();
        exception.setType("IllegalStateException");
        exception.setValue("stripe rejected sk_live_51HxYzAbCdEfGhIjKlMnOpQr for bob.smith+billing@corp.example.org");
        event.setExceptions(new ArrayList<>(List.of(exception)));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("password", "hunter2hunter2");
        nested.put("cards", List.of(4242424242424242L, "4000 0566 5566 5556", new String[] {"4242-4242-4242-4242"}));
        nested.put("note", "webhook signed with whsec_MfKQ9r8GKYqrTwjUPD8ILPZI");
        nested.put("count", 42);
        nested.put("object", new Object() {
            @Override
            public String toString() {
                return "Customer[email=alice@example.com]";
            }
        });
        event.setExtras(new LinkedHashMap<>(Map.of("payload", nested, "jwt",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N")));
        event.getContexts().put("customer", new LinkedHashMap<>(Map.of("email", "alice@example.com", "plan", "pro")));
        Breadcrumb crumb = new Breadcrumb("POST /checkout?email=alice@example.com");
        crumb.setData("Stripe-Signature", "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd");
        crumb.setData("body", Map.of("card", Map.of("number", "4242424242424242")));
        event.setBreadcrumbs(new ArrayList<>(List.of(crumb)));
        Request request = new Request();
        request.setUrl("https://api.example.com/webhooks/stripe?token=opaque-token-value-123&page=2");
        request.setQueryString("api_key=rc-shared-secret-value&page=2&email=alice%40example.com");
        request.setCookies("session=abc123cookievalue");
        request.setHeaders(new LinkedHashMap<>(Map.of("Authorization", "Bearer opaque-token-value-123",
                "Stripe-Signature", "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
                "Cookie", "session=abc123cookievalue", "X-RevenueCat-Authorization", "rc-shared-secret-value",
                "Content-Type", "application/json")));
        request.setData(Map.of("customer", Map.of("email", "alice@example.com", "card", 4242424242424242L)));
        request.setEnvs(new LinkedHashMap<>(Map.of("REMOTE_ADDR", "203.0.113.7")));
        event.setRequest(request);
        User user = new User();
        user.setId("user-1");
        user.setEmail("alice@example.com");
        user.setIpAddress("203.0.113.7");
        event.setUser(user);
        event.setTag("tenant_id", "tenant-42");
        event.setTag("contact", "alice@example.com");

        SentryEvent scrubbed = new SentryScrubber().execute(event, new Hint());

        String all = String.valueOf(scrubbed.getMessage().getFormatted()) + scrubbed.getMessage().getMessage()
                + scrubbed.getMessage().getParams() + scrubbed.getExceptions().get(0).getValue() + scrubbed.getExtras()
                + scrubbed.getContexts().get("customer") + crumb.getMessage() + crumb.getData() + request.getUrl()
                + request.getQueryString() + request.getCookies() + request.getHeaders() + request.getData()
                + request.getEnvs() + user.getEmail() + user.getIpAddress() + scrubbed.getTags();
        for (String secret : SECRETS) {
            assertFalse(all.contains(secret), () -> "leaked " + secret + " in " + all);
        }
        assertEquals("application/json", request.getHeaders().get("Content-Type"));
        assertEquals("[Filtered]", request.getHeaders().get("Authorization"));
        assertEquals("https://api.example.com/webhooks/stripe?token=[Filtered]&page=2", request.getUrl());
        assertEquals("api_key=[Filtered]&page=2&email=[Filtered]", request.getQueryString());
        assertEquals("tenant-42", scrubbed.getTag("tenant_id"));
        assertEquals("user-1", user.getId());
        assertNull(user.getEmail());
        assertEquals(42, ((Map<?, ?>) ((Map<?, ?>) scrubbed.getExtras().get("payload"))).get("count"));
        assertTrue(scrubbed.getExceptions().get(0).getValue().contains("sk_live_…MnOpQr".substring(0, 9)),
                scrubbed.getExceptions().get(0).getValue());
        assertEquals("pro", ((Map<?, ?>) scrubbed.getContexts().get("customer")).get("plan"));
        assertEquals("payment failed for [Filtered] with card [Filtered]", scrubbed.getMessage().getFormatted());
    }

    @Test
    void leavesOrdinaryNumbersAndTextAlone() {
        SentryEvent event = new SentryEvent();
        event.setExtras(new LinkedHashMap<>(Map.of("order", 1234567890123L, "amount", 4999, "text",
                "invoice in_1NZ3 for 12 seats", "deep", nest(40))));
        new SentryScrubber().execute(event, new Hint());
        assertEquals(1234567890123L, event.getExtras().get("order"), "13 digits failing Luhn stay");
        assertEquals("invoice in_1NZ3 for 12 seats", event.getExtras().get("text"));
        assertTrue(event.getExtras().get("deep").toString().contains("[Filtered]"), "depth is bounded");
    }

    private static Object nest(int depth) {
        return depth == 0 ? "leaf" : Map.of("n", nest(depth - 1));
    }

    @Test
    void endToEndThroughAFakeTransportNothingSecretLeavesTheProcess() throws Exception {
        List<SentryEnvelope> sent = Collections.synchronizedList(new ArrayList<>());
        Sentry.init(options -> {
            FakeTransport.offline(options, sent);
            options.setBeforeSend((event, hint) -> {
                event.setExtra("added_by_app", "contact bob.smith+billing@corp.example.org");
                return event;
            });
            TollgateSentry.configure(options, "production", "billing-api@1.4.2");
        });
        try {
            Sentry.configureScope(scope -> {
                TollgateSentry.tagRequest(scope, "tenant-42", "req-7f3a");
                scope.setExtra("header", "Authorization: Bearer opaque-token-value-123");
                scope.setContexts("checkout", Map.of("card", "4000 0566 5566 5556", "email", "alice@example.com"));
                User user = new User();
                user.setEmail("alice@example.com");
                user.setIpAddress("203.0.113.7");
                scope.setUser(user);
            });
            Sentry.addBreadcrumb("login by alice@example.com password=hunter2hunter2");
            Sentry.captureException(new IllegalStateException(
                    "charge failed: sk_live_51HxYzAbCdEfGhIjKlMnOpQr card 4242-4242-4242-4242 for alice@example.com"));
            Sentry.flush(1000);
        } finally {
            Sentry.close();
        }
        String json = FakeTransport.wire(sent);
        assertTrue(json.contains("charge failed"), json);
        assertTrue(json.contains("\"tenant_id\":\"tenant-42\""), json);
        assertTrue(json.contains("\"request_id\":\"req-7f3a\""), json);
        assertTrue(json.contains("\"environment\":\"production\""), json);
        assertTrue(json.contains("\"release\":\"billing-api@1.4.2\""), json);
        for (String secret : SECRETS) {
            assertFalse(json.contains(secret), () -> "leaked " + secret + " in " + json);
        }
    }

    @Test
    void endToEndWithTracingOnTransactionsAndSpansAreScrubbedAndNamedPiiIsNotSent() throws Exception {
        List<SentryEnvelope> sent = Collections.synchronizedList(new ArrayList<>());
        Sentry.init(options -> {
            FakeTransport.offline(options, sent);
            options.setTracesSampleRate(1.0);
            TollgateSentry.configure(options, "production", "billing-api@1.4.2");
        });
        try {
            Sentry.configureScope(scope -> {
                User user = new User();
                user.setEmail("alice@example.com");
                user.setIpAddress("203.0.113.7");
                scope.setUser(user);
            });
            ITransaction checkout = Sentry.startTransaction("POST /api/checkout", "http.server");
            checkout.setData("customer", "alice@example.com");
            checkout.setTag("api_key", "sk_live_51HxYzAbCdEfGhIjKlMnOpQr");
            ISpan query = checkout.startChild("db.sql.query",
                    "SELECT * FROM users WHERE email = 'alice@example.com' AND card = '4242424242424242'");
            query.setData("token", "opaque-token-value-123");
            query.setTag("authorization", "Bearer opaque-token-value-123");
            query.finish();
            checkout.finish();
            ITransaction named = Sentry.startTransaction("GET /users/bob.smith+billing@corp.example.org", "http.server");
            named.finish();
            Sentry.flush(1000);
        } finally {
            Sentry.close();
        }
        String json = FakeTransport.wire(sent);
        assertTrue(json.contains("POST /api/checkout") && json.contains("db.sql.query"), "the transaction is sent: " + json);
        assertTrue(json.contains("SELECT * FROM users WHERE email = "), "the span keeps what is not personal: " + json);
        assertFalse(json.contains("GET /users/"), "a transaction named after personal data is dropped: " + json);
        assertEquals(1, json.split("\"type\":\"transaction\"", -1).length - 1,
                "exactly one transaction was sent (and the other was dropped, not lost in a flush): " + json);
        for (String secret : SECRETS) {
            assertFalse(json.contains(secret), () -> "leaked " + secret + " in " + json);
        }
    }

    @Test
    void configureRefusesMultiLineTags() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TollgateSentry.configure(new SentryOptions(), "prod\nx", ""));
        assertTrue(e.getMessage().contains("environment") && e.getMessage().contains("release"), e.getMessage());
    }
}
