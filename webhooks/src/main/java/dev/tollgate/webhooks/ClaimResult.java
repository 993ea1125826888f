package dev.tollgate.webhooks;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link IdempotencyStore#claim}: whether the caller now owns the event, and the lease
 * token that proves it to {@link IdempotencyStore#complete} and {@link IdempotencyStore#fail}.
 *
 * @param status what the claim found
 * @param provider the provider, such as {@code stripe}
 * @param eventId the provider's event id
 * @param attempt the number of this attempt, counting from 1 (for other statuses: attempts made so far)
 * @param leaseToken the token of the lease held by the caller; {@code null} unless {@link Status#NEW}
 */
public record ClaimResult(Status status, String provider, String eventId, int attempt, @Nullable UUID leaseToken) {

    /** What a claim found. */
    public enum Status {
        /**
         * The caller owns the event until its lease expires: it was never seen, its previous lease
         * expired, its previous attempt failed, or it was re-driven from the dead-letter queue.
         */
        NEW,
        /** The event was processed already; do nothing. */
        ALREADY_PROCESSED,
        /** Another worker holds an unexpired lease on it, or its next retry is not due yet. */
        IN_PROGRESS,
        /** The event gave up after the maximum number of attempts and waits in the dead-letter queue. */
        DEAD
    }

    /**
     * Checks the components: a {@code NEW} claim carries a lease token, no other does.
     *
     * @param status what the claim found
     * @param provider the provider, such as {@code stripe}
     * @param eventId the provider's event id
     * @param attempt the number of this attempt, counting from 1 (for other statuses: attempts made so far)
     * @param leaseToken the token of the lease held by the caller; {@code null} unless {@link Status#NEW}
     */
    public ClaimResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        if ((status == Status.NEW) != (leaseToken != null)) {
            throw new IllegalArgumentException("a lease token is given with, and only with, status NEW; was "
                    + status + (leaseToken == null ? " without" : " with") + " a token");
        }
    }

    /** @return whether the caller owns the event and must process it, then complete or fail it */
    public boolean isNew() {
        return status == Status.NEW;
    }
}
