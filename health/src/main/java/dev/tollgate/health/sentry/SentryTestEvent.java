package dev.tollgate.health.sentry;

import dev.tollgate.health.preflight.PreflightCheck;
import dev.tollgate.health.preflight.PreflightOutcome;
import io.sentry.AsyncHttpTransportFactory;
import io.sentry.ITransportFactory;
import io.sentry.SentryClient;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.protocol.SentryId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The runbook's "Sentry sees errors" step: sends one test message through sentry-java with a client of its own
 * (the application's global Sentry set-up is not touched), the Tollgate scrubber installed, and waits at most
 * the timeout for it to be flushed. A malformed DSN or a refused event is FAIL; a PASS names the event id so
 * the operator can find it in Sentry (delivery itself is confirmed there).
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
            try {
                SentryId id = client.captureMessage(MESSAGE, SentryLevel.INFO);
                client.flush(timeout.toMillis());
                if (SentryId.EMPTY_ID.equals(id)) {
                    return PreflightOutcome.fail("sentry-java dropped the test event (sampling, beforeSend or rate limit)");
                }
                return PreflightOutcome.pass("test event " + id + " sent to " + host
                        + " (environment " + environment + "); confirm it arrived in Sentry");
            } finally {
                client.close();
            }
        };
    }
}
