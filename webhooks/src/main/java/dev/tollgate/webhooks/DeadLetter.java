package dev.tollgate.webhooks;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event that gave up after the maximum number of attempts, as listed by
 * {@link IdempotencyStore#deadLetters(int)}. Re-drive it with {@link IdempotencyStore#redrive} once the
 * cause is fixed.
 *
 * @param provider the provider, such as {@code stripe}
 * @param eventId the provider's event id
 * @param eventType the event type when the store knows it
 * @param attempts how many attempts were made
 * @param lastError the last failure (exception class and a truncated message; never the payload)
 * @param deadAt when it gave up
 */
public record DeadLetter(String provider, String eventId, @Nullable String eventType, int attempts,
                         @Nullable String lastError, Instant deadAt) {

    /**
     * Refuses nulls where a value is required.
     *
     * @param provider the provider, such as {@code stripe}
     * @param eventId the provider's event id
     * @param eventType the event type when the store knows it
     * @param attempts how many attempts were made
     * @param lastError the last failure (exception class and a truncated message; never the payload)
     * @param deadAt when it gave up
     */
    public DeadLetter {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(deadAt, "deadAt");
    }
}
