package dev.tollgate.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Remembers which webhook events were processed, so each is handled once however often it is delivered.
 *
 * <p>Every method is one atomic operation. Implementations must be safe to call from many threads and,
 * for shared stores such as {@link PostgresIdempotencyStore}, from many processes: for one
 * {@code (provider, eventId)}, at most one caller at a time gets {@link ClaimResult.Status#NEW} while its
 * lease is unexpired, and only the holder of the current lease token may {@link #complete} or
 * {@link #fail} it. Times come from the store's {@link java.time.Clock}.
 *
 * <p>Lifecycle of an event: {@code claim} → {@code NEW} (state {@code processing}, attempt counted) →
 * {@code complete} ({@code processed}, final) or {@code fail} ({@code failed}, claimable again at its
 * retry time; {@code dead} with a dead-letter row once {@code maxAttempts} attempts failed). A lease that
 * expires without completion makes the event claimable again (the crashed attempt counts).
 * {@code redrive} turns a {@code dead} event back into a claimable one with a fresh attempt count.
 *
 * <p>Implementations can be checked with {@code dev.tollgate.testkit.IdempotencyStoreContract}
 * (artifact {@code tollgate-testkit}).
 */
public interface IdempotencyStore {

    /**
     * Claims an event for processing.
     *
     * @param provider the provider, such as {@code stripe} (1 to 100 characters)
     * @param eventId the provider's event id (1 to 255 characters)
     * @param lease how long the caller may hold the event before another may claim it (positive)
     * @return {@code NEW} with a lease token when the caller now owns the event; otherwise what the
     *         event's state is
     * @throws IdempotencyStoreException when the store cannot be used
     */
    ClaimResult claim(String provider, String eventId, Duration lease);

    /**
     * Claims a parsed event. Same as {@link #claim(String, String, Duration)} with its provider and id;
     * stores that keep more (such as {@link PostgresIdempotencyStore}, which keeps the type and the raw
     * payload so a dead letter can be re-driven by a {@link WebhookWorker}) override it.
     *
     * @param event the verified event
     * @param lease how long the caller may hold the event (positive)
     * @return as {@link #claim(String, String, Duration)}
     * @throws IdempotencyStoreException when the store cannot be used
     */
    default ClaimResult claim(WebhookEvent event, Duration lease) {
        return claim(event.provider(), event.id(), lease);
    }

    /**
     * Marks a claimed event processed, for good.
     *
     * @param claim a {@link ClaimResult.Status#NEW} claim
     * @return {@code true} if it was marked; {@code false} if the claim's lease is no longer current
     * @throws IllegalArgumentException if the claim is not {@code NEW}
     * @throws IdempotencyStoreException when the store cannot be used
     */
    boolean complete(ClaimResult claim);

    /**
     * Records a failed attempt and releases the lease. When {@code claim.attempt() >= maxAttempts} the
     * event becomes {@code dead} and a dead-letter row is written, in the same atomic step.
     *
     * @param claim a {@link ClaimResult.Status#NEW} claim
     * @param error what went wrong, such as the exception class and message; truncated to 1,000
     *              characters; must not hold payloads or secrets
     * @param maxAttempts the number of attempts after which the event gives up (at least 1)
     * @param retryAt when the event may be claimed again (the caller's backoff)
     * @return what became of the event
     * @throws IllegalArgumentException if the claim is not {@code NEW} or {@code maxAttempts < 1}
     * @throws IdempotencyStoreException when the store cannot be used
     */
    FailureOutcome fail(ClaimResult claim, String error, int maxAttempts, Instant retryAt);

    /**
     * Forgets processed events processed before a time; a provider re-delivering one afterwards would
     * have it processed again, so keep at least the provider's retry window (Stripe: 3 days).
     *
     * @param olderThan events processed strictly before this instant are removed
     * @return how many events were removed
     * @throws IdempotencyStoreException when the store cannot be used
     */
    int purge(Instant olderThan);

    /**
     * Lists the events waiting in the dead-letter queue, oldest first.
     *
     * @param limit the most entries to return (at least 1)
     * @return the dead letters not re-driven yet
     * @throws IdempotencyStoreException when the store cannot be used
     */
    List<DeadLetter> deadLetters(int limit);

    /**
     * Re-drives a dead event: it becomes claimable at once with a fresh attempt count, and its dead
     * letter is marked re-driven. Asynchronous workers pick it up; a synchronous pipeline processes it on
     * the provider's next delivery.
     *
     * @param provider the provider
     * @param eventId the event id
     * @return {@code true} if the event was dead and is now re-driven; {@code false} otherwise
     * @throws IdempotencyStoreException when the store cannot be used
     */
    boolean redrive(String provider, String eventId);

    /**
     * Returns the current state of an event, for operators and tests.
     *
     * @param provider the provider
     * @param eventId the event id
     * @return the state, or empty when the store does not know the event
     * @throws IdempotencyStoreException when the store cannot be used
     */
    Optional<EventState> state(String provider, String eventId);
}
