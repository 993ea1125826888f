package dev.tollgate.webhooks;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code webhooks.events} as an operator sees it, never with its payload.
 *
 * @param provider the provider name, such as {@code stripe}
 * @param eventId the provider's event id
 * @param eventType the event's type, when known
 * @param state the event's state
 * @param attempts how many times its handlers were attempted
 * @param receivedAt when it was first received
 * @param processedAt when its handlers succeeded, if they did
 * @param lastError the last handler error, if any
 */
public record EventRecord(String provider, String eventId, @Nullable String eventType, EventState state,
                          int attempts, Instant receivedAt, @Nullable Instant processedAt,
                          @Nullable String lastError) {

    /**
     * Refuses nulls where a value is required.
     *
     * @param provider the provider name, such as {@code stripe}
     * @param eventId the provider's event id
     * @param eventType the event's type, when known
     * @param state the event's state
     * @param attempts how many times its handlers were attempted
     * @param receivedAt when it was first received
     * @param processedAt when its handlers succeeded, if they did
     * @param lastError the last handler error, if any
     */
    public EventRecord {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
