package dev.tollgate.health.sentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.preflight.PreflightOutcome;
import dev.tollgate.health.preflight.PreflightStatus;
import io.sentry.Hint;
import io.sentry.ITransportFactory;
import io.sentry.SentryEnvelope;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preflight's Sentry step, through a fake transport (no network). */
class SentryTestEventTest {

    private static final String DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.invalid/42";

    @Test
    void sendsOneScrubbedTestEventAndNamesIt() throws Exception {
        List<SentryEnvelope> sent = Collections.synchronizedList(new ArrayList<>());
        ITransportFactory capture = (options, details) -> new ITransport() {
            @Override
            public void send(SentryEnvelope envelope, Hint hint) {
                sent.add(envelope);
            }

            @Override
            public void flush(long timeoutMillis) {
            }

            @Override
            public RateLimiter getRateLimiter() {
                return null;
            }

            @Override
            public void close(boolean isRestarting) {
            }

            @Override
            public void close() {
            }
        };
        PreflightOutcome outcome = SentryTestEvent.check(DSN, "production", Duration.ofSeconds(5), capture).run();
        assertEquals(PreflightStatus.PASS, outcome.status(), outcome.detail());
        assertTrue(outcome.detail().contains("sent to o1.ingest.sentry.invalid"), outcome.detail());
        assertFalse(outcome.detail().contains("0123456789abcdef0123"), "the DSN key is not printed");
        assertEquals(1, sent.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        io.sentry.SentryOptions options = new io.sentry.SentryOptions();
        options.getSerializer().serialize(sent.get(0), bytes);
        String envelope = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(envelope.contains(SentryTestEvent.MESSAGE), envelope);
        assertTrue(envelope.contains("production"), envelope);
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
