package dev.tollgate.webhooks.internal;

import dev.tollgate.internal.BorrowedConnection;
import dev.tollgate.internal.SensitiveText;
import dev.tollgate.webhooks.ClaimResult;
import dev.tollgate.webhooks.FailureOutcome;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.IdempotencyStoreException;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.TransactionalWebhookHandler;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookHandler;
import dev.tollgate.webhooks.WebhookObserver;
import dev.tollgate.webhooks.WebhookPayloadException;
import dev.tollgate.webhooks.WebhookResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs handlers for claimed events and records the outcome in the store. Handler failures of any kind
 * are caught, recorded and turned into results: they never leak a lease (the lease is released by
 * {@code fail}, or, when even that fails, expires) and never escape.
 */
public final class Dispatcher {

    /** The handler key for "any type not registered otherwise". */
    public static final String ANY_TYPE = "*";

    private static final Logger LOG = LoggerFactory.getLogger("dev.tollgate.webhooks");

    private final Map<String, HandlerBinding> handlers;
    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final WebhookObserver observer;
    private final SeenEvents seen;

    /** A result and what it means for the observer. */
    private record Handled(WebhookResult result, WebhookObserver.Outcome outcome) {
    }

    /**
     * Creates a dispatcher.
     *
     * @param handlers handlers by event type ({@link #ANY_TYPE} for the rest)
     * @param store the store
     * @param clock the clock for retry times
     * @param lease the lease for claims
     * @param maxAttempts attempts before dead-lettering
     * @param initialBackoff the first retry delay (asynchronous mode)
     * @param maxBackoff the longest retry delay (asynchronous mode)
     * @param observer told every outcome; its failures are caught
     * @param seen the duplicate cache: synchronous mode answers the events in it without the store, and adds
     *             every event it sees reach {@code processed}
     */
    public Dispatcher(Map<String, HandlerBinding> handlers, IdempotencyStore store, Clock clock, Duration lease,
                      int maxAttempts, Duration initialBackoff, Duration maxBackoff, WebhookObserver observer,
                      SeenEvents seen) {
        this.handlers = Map.copyOf(handlers);
        this.store = store;
        this.clock = clock;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.observer = observer;
        this.seen = seen;
    }

    /** @return the idempotency store */
    public IdempotencyStore store() {
        return store;
    }

    /** @return the duplicate cache */
    public SeenEvents seen() {
        return seen;
    }

    /**
     * Finds the handler for a type.
     *
     * @param type the event type
     * @return the binding, or empty when no handler takes the type
     */
    public Optional<HandlerBinding> handlerFor(String type) {
        HandlerBinding binding = handlers.get(type);
        return Optional.ofNullable(binding != null ? binding : handlers.get(ANY_TYPE));
    }

    /** @return the lease length */
    public Duration lease() {
        return lease;
    }

    /**
     * The retry time after a failed attempt: {@code initialBackoff × 2^(attempt-1)}, at most
     * {@code maxBackoff}.
     *
     * @param attempt the attempt that failed, from 1
     * @return when to try again
     */
    public Instant retryAt(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        Duration delay = maxBackoff;
        if (doublings < 62 && initialBackoff.toMillis() <= maxBackoff.toMillis() >> doublings) {
            delay = initialBackoff.multipliedBy(1L << doublings);
        }
        return clock.instant().plus(delay);
    }

    /**
     * Synchronous mode: claims the event, runs its handler, completes or fails it. An event in the
     * duplicate cache is answered {@code already_processed} at once.
     *
     * @param event the verified event
     * @param binding its handler
     * @return the endpoint's answer
     * @throws IdempotencyStoreException when the store cannot be used (the caller answers 503)
     */
    public WebhookResult claimAndProcess(WebhookEvent event, HandlerBinding binding) {
        Instant start = clock.instant();
        if (seen.contains(event.provider(), event.id())) {
            observe(event, WebhookObserver.Outcome.DUPLICATE, start);
            return WebhookResult.skipped("already_processed", event.id());
        }
        Handled handled = binding.transactional() != null
                ? claimAndProcessInTransaction(event, binding.transactional())
                : claimAndProcessPlain(event, Objects.requireNonNull(binding.plain()));
        observe(event, handled.outcome(), start);
        return handled.result();
    }

    private Handled claimAndProcessPlain(WebhookEvent event, WebhookHandler handler) {
        ClaimResult claim = store.claim(event, lease);
        if (!claim.isNew()) {
            return notNew(claim);
        }
        Throwable failure = runPlain(handler, event);
        if (failure == null) {
            if (store.complete(claim)) {
                seen.remember(event.provider(), event.id());
            } else {
                LOG.warn("{} event {} ({}) was handled but its lease had been taken over: the handler outlasted "
                        + "the lease of {}; raise the lease", event.provider(), event.id(), event.type(), lease);
            }
            return new Handled(WebhookResult.processed(event.id()), WebhookObserver.Outcome.PROCESSED);
        }
        FailureOutcome outcome = recordFailure(claim, event, failure, clock.instant());
        return new Handled(failedResult(event, failure), failureOutcome(failure, outcome));
    }

    /** What a failed attempt means for the observer. */
    private static WebhookObserver.Outcome failureOutcome(Throwable failure, @Nullable FailureOutcome outcome) {
        if (failure instanceof WebhookPayloadException) {
            return WebhookObserver.Outcome.REJECTED;
        }
        return outcome == FailureOutcome.DEAD_LETTERED ? WebhookObserver.Outcome.DEAD_LETTERED
                : WebhookObserver.Outcome.FAILED;
    }

    /** Tells the observer; an observer that throws is logged and otherwise ignored. */
    private void observe(WebhookEvent event, WebhookObserver.Outcome outcome, Instant start) {
        Duration took = outcome == WebhookObserver.Outcome.DUPLICATE || outcome == WebhookObserver.Outcome.IN_PROGRESS
                ? Duration.ZERO : Duration.between(start, clock.instant());
        try {
            observer.eventHandled(event.provider(), event.type(), outcome, took.isNegative() ? Duration.ZERO : took);
        } catch (RuntimeException e) {
            LOG.warn("the webhook observer {} failed (ignored)", observer.getClass().getName(), e);
        }
    }

    /** A handler's {@link WebhookPayloadException} is permanent: answered 400, not retried. */
    private static WebhookResult failedResult(WebhookEvent event, Throwable failure) {
        if (failure instanceof WebhookPayloadException payload) {
            return WebhookResult.rejected(400, payload.reason().code());
        }
        return WebhookResult.failed("handler_failed", event.id());
    }

    /** Attempts allowed for this failure: none more for a permanent one. */
    private int attemptsFor(ClaimResult claim, Throwable failure) {
        return failure instanceof WebhookPayloadException ? Math.max(1, claim.attempt()) : maxAttempts;
    }

    /**
     * Synchronous transactional mode, in two round trips on the happy path: one statement claims the
     * event and records it processed, the handler writes on the same connection, one commit makes both
     * durable. When the handler fails, everything is rolled back (the claim included: nobody else could
     * see it) and the failure is recorded in a short transaction of its own; if a concurrent redelivery
     * claimed the event in between, that delivery owns it and this failure is only logged.
     */
    private Handled claimAndProcessInTransaction(WebhookEvent event, TransactionalWebhookHandler handler) {
        PostgresIdempotencyStore pg = (PostgresIdempotencyStore) store;
        Throwable failure;
        try (BorrowedConnection borrowed = BorrowedConnection.of(pg.dataSource(), pg.timeout())) {
            Connection c = borrowed.connection();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                ClaimResult claim = pg.claimProcessed(c, event);
                if (!claim.isNew()) {
                    c.commit();
                    return notNew(claim);
                }
                failure = runTransactional(handler, event, c);
                if (failure == null) {
                    c.commit();
                    seen.remember(event.provider(), event.id());
                    return new Handled(WebhookResult.processed(event.id()), WebhookObserver.Outcome.PROCESSED);
                }
                c.rollback();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "processing an event in a transaction");
        }
        ClaimResult retry = store.claim(event, lease);
        if (!retry.isNew()) {
            LOG.warn("{} event {} ({}) failed and was claimed by another delivery before the failure could be "
                    + "recorded ({}): that delivery owns it now", event.provider(), event.id(), event.type(),
                    retry.status(), scrubbed(failure));
            return new Handled(failedResult(event, failure), failureOutcome(failure, null));
        }
        FailureOutcome outcome = recordFailure(retry, event, failure, clock.instant());
        return new Handled(failedResult(event, failure), failureOutcome(failure, outcome));
    }

    /**
     * Asynchronous mode: runs the handler of an event a worker claimed, then completes or fails it with
     * backoff. A transactional handler's writes commit with the completion; when the lease was lost
     * meanwhile they are rolled back.
     *
     * @param claim the worker's claim
     * @param event the event
     * @param binding its handler, or {@code null} when no handler takes the type any more
     * @throws IdempotencyStoreException when the store cannot be used (the lease then expires)
     */
    public void processClaimed(ClaimResult claim, WebhookEvent event, @Nullable HandlerBinding binding) {
        Instant start = clock.instant();
        WebhookObserver.@Nullable Outcome outcome = processClaimedObserved(claim, event, binding);
        if (outcome != null) {
            observe(event, outcome, start);
        }
    }

    private WebhookObserver.@Nullable Outcome processClaimedObserved(ClaimResult claim, WebhookEvent event,
                                                                     @Nullable HandlerBinding binding) {
        if (binding == null) {
            Throwable missing = new IllegalStateException("no handler is registered for type " + event.type());
            return failureOutcome(missing, recordFailure(claim, event, missing, retryAt(claim.attempt())));
        }
        if (binding.plain() != null) {
            Throwable failure = runPlain(binding.plain(), event);
            if (failure == null) {
                if (!store.complete(claim)) {
                    LOG.warn("{} event {} ({}) was handled but its lease had been taken over: the handler outlasted "
                            + "the lease of {}; raise the lease", event.provider(), event.id(), event.type(), lease);
                }
                return WebhookObserver.Outcome.PROCESSED;
            }
            return failureOutcome(failure, recordFailure(claim, event, failure, retryAt(claim.attempt())));
        }
        PostgresIdempotencyStore pg = (PostgresIdempotencyStore) store;
        Throwable failure;
        try (BorrowedConnection borrowed = BorrowedConnection.of(pg.dataSource(), pg.timeout())) {
            Connection c = borrowed.connection();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                failure = runTransactional(Objects.requireNonNull(binding.transactional()), event, c);
                if (failure == null) {
                    if (pg.complete(c, claim)) {
                        c.commit();
                        return WebhookObserver.Outcome.PROCESSED;
                    }
                    c.rollback();
                    LOG.warn("{} event {} ({}): the lease was taken over while the handler ran; its writes were "
                            + "rolled back (raise the lease of {})", event.provider(), event.id(), event.type(), lease);
                    return null;
                }
                c.rollback();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        } catch (SQLException e) {
            throw SqlFailures.translate(e, "processing an event in a transaction");
        }
        return failureOutcome(failure, recordFailure(claim, event, failure, retryAt(claim.attempt())));
    }

    private @Nullable FailureOutcome recordFailure(ClaimResult claim, WebhookEvent event, Throwable failure,
                                                   Instant retryAt) {
        FailureOutcome outcome;
        try {
            outcome = store.fail(claim, describe(failure), attemptsFor(claim, failure), retryAt);
        } catch (IdempotencyStoreException e) {
            LOG.warn("{} event {} ({}) failed on attempt {} and the failure could not be recorded ({}); "
                    + "the lease of {} will expire and the event be retried", event.provider(), event.id(),
                    event.type(), claim.attempt(), e.reason(), lease);
            return null;
        }
        logFailure(claim, event, failure, outcome);
        return outcome;
    }

    private void logFailure(ClaimResult claim, WebhookEvent event, Throwable failure, FailureOutcome outcome) {
        if (failure instanceof WebhookPayloadException payload && outcome == FailureOutcome.DEAD_LETTERED) {
            LOG.error("{} event {} ({}) cannot be processed ({}: {}) and was dead-lettered without retry",
                    event.provider(), event.id(), event.type(), payload.reason().code(),
                    SensitiveText.scrub(String.valueOf(payload.getMessage())));
        } else if (outcome == FailureOutcome.DEAD_LETTERED) {
            LOG.error("{} event {} ({}) failed on attempt {} of {} and was dead-lettered", event.provider(),
                    event.id(), event.type(), claim.attempt(), maxAttempts, scrubbed(failure));
        } else {
            LOG.warn("{} event {} ({}) failed on attempt {} of {} ({})", event.provider(), event.id(), event.type(),
                    claim.attempt(), maxAttempts, outcome, scrubbed(failure));
        }
    }

    private static @Nullable Throwable runPlain(WebhookHandler handler, WebhookEvent event) {
        try {
            handler.handle(event);
            return null;
        } catch (Throwable t) {
            return guarded(t);
        }
    }

    private static @Nullable Throwable runTransactional(TransactionalWebhookHandler handler, WebhookEvent event,
                                                        Connection connection) {
        try {
            handler.handle(event, connection);
            return null;
        } catch (Throwable t) {
            return guarded(t);
        }
    }

    private static Throwable guarded(Throwable t) {
        if (t instanceof VirtualMachineError vm) {
            throw vm;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return t;
    }

    /**
     * Describes a failure for {@code last_error}: the exception class and its message.
     *
     * @param failure the failure
     * @return the text
     */
    /**
     * A failure as {@code webhooks.events.last_error} keeps it: the exception's type and its message, scrubbed of
     * secrets and personal data (a handler's message may quote the payload: an e-mail, a card number, a token).
     */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null ? failure.getClass().getName()
                : failure.getClass().getName() + ": " + SensitiveText.scrub(message);
    }

    /**
     * A copy of a failure for the log: the same stack traces, each message {@linkplain #describe scrubbed}, the
     * causes likewise (up to 8 deep).
     */
    static Throwable scrubbed(Throwable failure) {
        return scrubbed(failure, 0);
    }

    private static Throwable scrubbed(Throwable failure, int depth) {
        Throwable cause = failure.getCause();
        ScrubbedFailure copy = new ScrubbedFailure(describe(failure),
                cause == null || cause == failure || depth >= 8 ? null : scrubbed(cause, depth + 1));
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** A logged stand-in for a handler's failure: its type and scrubbed message, its stack trace. */
    static final class ScrubbedFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ScrubbedFailure(String description, @Nullable Throwable cause) {
            super(description, cause, false, true);
        }

        @Override
        public String toString() {
            return String.valueOf(getMessage()); // "type: message", without this class's name in front
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is broken; the pool discards it, and the transaction is gone with it
        }
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // the connection is broken; the pool discards it
        }
    }

    private Handled notNew(ClaimResult claim) {
        if (claim.status() == ClaimResult.Status.ALREADY_PROCESSED) {
            seen.remember(claim.provider(), claim.eventId());
        }
        return switch (claim.status()) {
            case ALREADY_PROCESSED -> new Handled(WebhookResult.skipped("already_processed", claim.eventId()),
                    WebhookObserver.Outcome.DUPLICATE);
            case DEAD -> new Handled(WebhookResult.skipped("dead_lettered", claim.eventId()),
                    WebhookObserver.Outcome.DUPLICATE);
            default -> new Handled(WebhookResult.inProgress(claim.eventId()), WebhookObserver.Outcome.IN_PROGRESS);
        };
    }
}
