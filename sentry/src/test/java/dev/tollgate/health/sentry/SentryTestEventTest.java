package dev.tollgate.health.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.health.preflight.PreflightOutcome;
import dev.tollgate.health.preflight.PreflightStatus;
import io.sentry.SentryEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The preflight's Sentry step, through a fake transport and through sentry-java's HTTP transport to a local server. */
class SentryTestEventTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String DSN = "https://" + KEY + "@o1.ingest.sentry.invalid/42";

    @Test
    void sendsOneScrubbedTestEventAndNamesIt() throws Exception {
        List<SentryEnvelope> sent = Collections.synchronizedList(new ArrayList<>());
        PreflightOutcome outcome = SentryTestEvent.check(DSN, "production", Duration.ofSeconds(5),
                FakeTransport.keeping(sent, true)).run();
        assertEquals(PreflightStatus.PASS, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("accepted by o1.ingest.sentry.invalid"), outcome.detail());
        assertFalse(outcome.detail().contains(KEY), "the DSN key is not printed");
        assertEquals(1, sent.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new io.sentry.SentryOptions().getSerializer().serialize(sent.get(0), bytes);
        String envelope = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(envelope.contains(SentryTestEvent.MESSAGE), envelope);
        assertTrue(envelope.contains("production"), envelope);
    }

    @Test
    void aRefusedEventIsAFailure() throws Exception {
        PreflightOutcome outcome = SentryTestEvent.check(DSN, "production", Duration.ofSeconds(5),
                FakeTransport.keeping(new ArrayList<>(), false)).run();
        assertEquals(PreflightStatus.FAIL, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("did not accept the test event"), outcome.detail());
    }

    @Test
    void throughTheRealHttpTransportToALocalSentry() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] raw = in.readAllBytes();
                boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                byte[] body = gzip ? new GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes() : raw;
                bodies.add(exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.UTF_8));
            }
            boolean forbidden = exchange.getRequestURI().getPath().contains("/403/");
            exchange.sendResponseHeaders(forbidden ? 403 : 200, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://" + KEY + "@127.0.0.1:" + server.getAddress().getPort();
            PreflightOutcome accepted = SentryTestEvent.check(base + "/42", "staging", Duration.ofSeconds(10)).run();
            assertEquals(PreflightStatus.PASS, accepted.status(), accepted.detail());
            assertTrue(bodies.stream().anyMatch(b -> b.startsWith("/api/42/envelope/") && b.contains(SentryTestEvent.MESSAGE)),
                    bodies.toString());
            PreflightOutcome refused = SentryTestEvent.check(base + "/403", "staging", Duration.ofSeconds(10)).run();
            assertEquals(PreflightStatus.FAIL, refused.status(), refused.detail());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMalformedDsnFailsWithoutEchoingIt() throws Exception {
        for (String dsn : List.of("", "not a dsn", "https://sentry.io/42", "ftp://key@host/1", "https://key@host/")) {
            PreflightOutcome outcome = SentryTestEvent.check(dsn, "production", Duration.ofSeconds(1)).run();
            assertEquals(PreflightStatus.FAIL, outcome.status(), dsn);
            assertTrue(outcome.detail().startsWith("the Sentry DSN is malformed"), outcome.detail());
        }
    }
}
