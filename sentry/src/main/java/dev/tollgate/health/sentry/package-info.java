/**
 * Sentry error reporting with PII scrubbing (artifact {@code dev.tollgate:tollgate-sentry}, which brings
 * {@code io.sentry:sentry}).
 * {@link dev.tollgate.health.sentry.TollgateSentry#configure} wires the
 * {@link dev.tollgate.health.sentry.SentryScrubber} and the standard tags into {@code SentryOptions}.
 */
@NullMarked
package dev.tollgate.health.sentry;

import org.jspecify.annotations.NullMarked;
