package dev.tollgate.health.sentry;

import io.sentry.Hint;
import io.sentry.ITransportFactory;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryOptions;
import io.sentry.hints.SubmissionResult;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import io.sentry.util.HintUtils;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A Sentry transport for tests: keeps every envelope instead of sending it. */
final class FakeTransport {

    private FakeTransport() {
    }

    /**
     * @param sent where envelopes go (use a synchronized list)
     * @param accepted what the transport answers to a delivery that asks for a submission result
     * @return the factory to set on the options
     */
    static ITransportFactory keeping(List<SentryEnvelope> sent, boolean accepted) {
        return (options, details) -> new ITransport() {
            @Override
            public void send(SentryEnvelope envelope, Hint hint) {
                sent.add(envelope);
                HintUtils.runIfHasType(hint, SubmissionResult.class, result -> result.setResult(accepted));
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
    }

    /**
     * Points Sentry at a made-up DSN and this transport, with everything that would act on the JVM or the
     * network turned off (external configuration, uncaught-exception handler, shutdown hook, sessions, reports).
     *
     * @param options the options being initialised
     * @param sent where envelopes go
     */
    static void offline(SentryOptions options, List<SentryEnvelope> sent) {
        options.setDsn("https://0123456789abcdef@sentry.invalid/42");
        options.setTransportFactory(keeping(sent, true));
        options.setEnableExternalConfiguration(false);
        options.setEnableUncaughtExceptionHandler(false);
        options.setEnableShutdownHook(false);
        options.setEnableAutoSessionTracking(false);
        options.setSendClientReports(false);
    }

    /** @return every item of the envelopes as the JSON text that would have left the process */
    static String wire(List<SentryEnvelope> sent) throws Exception {
        StringBuilder wire = new StringBuilder();
        for (SentryEnvelope envelope : sent) {
            for (SentryEnvelopeItem item : envelope.getItems()) {
                wire.append(new String(item.getData(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return wire.toString();
    }
}
