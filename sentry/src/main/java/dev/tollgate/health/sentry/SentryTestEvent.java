package dev.tollgate.health.sentry;

import dev.tollgate.health.preflight.PreflightCheck;
import dev.tollgate.health.preflight.PreflightOutcome;
import io.sentry.AsyncHttpTransportFactory;
import io.sentry.ITransportFactory;
import io.sentry.SentryClient;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.hints.SubmissionResult;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryId;
import io.sentry.util.HintUtils;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The runbook's "Sentry sees errors" step: sends one test message through sentry-java with a client of its own
 * (the application's global Sentry set-up is not touched) and the Tollgate scrubber installed, and waits at
 * most the timeout for Sentry's answer. PASS when Sentry accepted the event (the detail names its id, to find
 * it in Sentry); FAIL for a malformed DSN, a refusal (wrong key, rate limit, network error) or no answer in
 * time.
 *
 * <pre>{@code
 * Preflight.builder().step("sentry", SentryTestEvent.check(dsn, "production", Duration.ofSeconds(10)));
 * }</pre>
 */
public final class SentryTestEvent {

    /** The message of the test event. */
    public static final String MESSAGE = "Tollgate preflight test event";

    private SentryTestEvent() {
    }

    /**
     * A preflight step sending one test event.
     *
     * @param dsn the Sentry DSN (never printed: its key is masked in every output)
     * @param environment the environment tag, such as {@code production}
     * @param timeout how long to wait for the event to be flushed, positive
     * @return the step
     */
    public static PreflightCheck check(String dsn, String environment, Duration timeout) {
        return check(dsn, environment, timeout, null);
    }

    /** Told by the transport whether Sentry accepted the envelope. */
    private static final class Delivery implements SubmissionResult {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean success;

        @Override
        public void setResult(boolean success) {
            this.success = success;
            done.countDown();
        }

        @Override
        public boolean isSuccess() {
            return success;
        }

        /** @return the result, or null when none came within the timeout */
        @Nullable Boolean await(Duration timeout) throws InterruptedException {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? success : null;
        }
    }

    /** The DSN's host when it has the shape {@code http(s)://key@host/project}, else null. */
    private static @Nullable String hostOf(String dsn) {
        try {
            URI uri = new URI(dsn.strip());
            boolean ok = ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getUserInfo() != null && !uri.getUserInfo().isBlank() && uri.getHost() != null
                    && uri.getPath() != null && uri.getPath().matches("(/[^/]+)*/[0-9A-Za-z_-]+/?");
            return ok ? uri.getHost() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** As {@link #check(String, String, Duration)}, with another transport (tests). */
    static PreflightCheck check(String dsn, String environment, Duration timeout,
                                @Nullable ITransportFactory transportFactory) {
        Objects.requireNonNull(dsn, "dsn");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeout);
        }
        return () -> {
            String host = hostOf(dsn);
            if (host == null) {
                return PreflightOutcome.fail("the Sentry DSN is malformed: expected https://<key>@<host>/<project>");
            }
            SentryOptions options = new SentryOptions();
            options.setDsn(dsn);
            options.setEnableExternalConfiguration(false);
            options.setEnableUncaughtExceptionHandler(false);
            options.setEnableShutdownHook(false);
            options.setEnableAutoSessionTracking(false);
            options.setSendClientReports(false);
            options.setFlushTimeoutMillis(timeout.toMillis());
            options.setShutdownTimeoutMillis(timeout.toMillis());
            options.setTransportFactory(transportFactory != null ? transportFactory : new AsyncHttpTransportFactory());
            TollgateSentry.configure(options, environment, "tollgate-preflight");
            SentryClient client = new SentryClient(options);
            Delivery delivery = new Delivery();
            try {
                SentryEvent event = new SentryEvent();
                Message message = new Message();
                message.setFormatted(MESSAGE);
                event.setMessage(message);
                event.setLevel(SentryLevel.INFO);
                SentryId id = client.captureEvent(event, HintUtils.createWithTypeCheckHint(delivery));
                if (SentryId.EMPTY_ID.equals(id)) {
                    return PreflightOutcome.fail("sentry-java dropped the test event (sampling, beforeSend or rate limit)");
                }
                Boolean accepted = delivery.await(timeout);
                if (accepted == null) {
                    return PreflightOutcome.fail("no answer from " + host + " within " + timeout.toMillis() + " ms");
                }
                return accepted
                        ? PreflightOutcome.pass("test event " + id + " accepted by " + host + " (environment "
                                + environment + ")")
                        : PreflightOutcome.fail(host + " did not accept the test event (wrong key or project, rate"
                                + " limit or network error)");
            } finally {
                client.close();
            }
        };
    }
}
