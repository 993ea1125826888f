package dev.tollgate.examples.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.TenantBilling;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK HttpServer filter in front of a real server, with the gate on an in-memory repository. */
class BillingGateHttpFilterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    private final AtomicInteger handled = new AtomicInteger();
    private final HttpClient client = HttpClient.newHttpClient();
    private InMemoryBillingRepository repository;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        repository = new InMemoryBillingRepository(CLOCK);
        repository.put(TenantBilling.of("t_active", BillingStatus.ACTIVE, CLOCK.instant()), "test");
        repository.put(TenantBilling.of("t_overdue", BillingStatus.PAST_DUE, CLOCK.instant()), "test");
        BillingGate gate = BillingGate.builder().repository(repository).clock(CLOCK).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", exchange -> {
            handled.incrementAndGet();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).getFilters().add(new BillingGateHttpFilter(gate));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anActiveTenantReachesTheHandler() throws Exception {
        HttpResponse<String> r = send("POST", "t_active", null);
        assertEquals(200, r.statusCode());
        assertEquals(1, handled.get());
    }

    @Test
    void aPastDueWriteIs402WithTheExactBodyAndNeverReachesTheHandler() throws Exception {
        HttpResponse<String> r = send("POST", "t_overdue", null);
        assertEquals(402, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"error\":\"subscription_required\",\"message\":\"Payment overdue. Please update your payment "
                + "method.\",\"billing_status\":\"past_due\"}", r.body());
        assertEquals(0, handled.get());
    }

    @Test
    void aPastDueReadPasses() throws Exception {
        assertEquals(200, send("GET", "t_overdue", null).statusCode());
        assertEquals(1, handled.get());
    }

    @Test
    void problemJsonWhenTheClientAsksForIt() throws Exception {
        HttpResponse<String> r = send("DELETE", "t_overdue", "application/problem+json, application/json;q=0.5");
        assertEquals(402, r.statusCode());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(true, r.body().contains("\"instance\":\"/api/thing\""), r.body());
        assertEquals(true, r.body().contains("\"billing_status\":\"past_due\""), r.body());
    }

    @Test
    void aMissingOrBlankTenantIs400() throws Exception {
        assertEquals(400, send("POST", null, null).statusCode());
        HttpResponse<String> blank = send("POST", "   ", null);
        assertEquals(400, blank.statusCode());
        assertEquals(true, blank.body().contains("\"error\":\"tenant_required\""));
        assertEquals(0, handled.get());
    }

    @Test
    void methodsMapToOperationClasses() {
        assertSame(OperationClass.READ, BillingGateHttpFilter.operationOf("GET"));
        assertSame(OperationClass.READ, BillingGateHttpFilter.operationOf("head"));
        assertSame(OperationClass.READ, BillingGateHttpFilter.operationOf("OPTIONS"));
        for (String write : new String[] {"POST", "PUT", "PATCH", "DELETE", "PROPFIND"}) {
            assertSame(OperationClass.WRITE, BillingGateHttpFilter.operationOf(write), write);
        }
    }

    private HttpResponse<String> send(String method, String tenant, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/thing"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
