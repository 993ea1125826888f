package dev.tollgate.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything Tollgate stores about one event, as returned by {@link WebhookEvents#show}.
 *
 * @param event the event's metadata
 * @param deadLetters every time it was dead-lettered, oldest first, re-driven or not
 * @param replays when it was replayed on purpose ({@link WebhookEvents#replay}), oldest first
 * @param payload the stored body as UTF-8 text, only when it was asked for and is stored
 */
public record EventDetails(EventRecord event, List<DeadLetterEntry> deadLetters, List<Instant> replays,
                           @Nullable String payload) {

    /**
     * Refuses nulls where a value is required and copies the lists.
     *
     * @param event the event's metadata
     * @param deadLetters every time it was dead-lettered, oldest first, re-driven or not
     * @param replays when it was replayed on purpose ({@link WebhookEvents#replay}), oldest first
     * @param payload the stored body as UTF-8 text, only when it was asked for and is stored
     */
    public EventDetails {
        Objects.requireNonNull(event, "event");
        deadLetters = List.copyOf(Objects.requireNonNull(deadLetters, "deadLetters"));
        replays = List.copyOf(Objects.requireNonNull(replays, "replays"));
    }

    /**
     * One row of {@code webhooks.dead_letter_queue} for this event.
     *
     * @param attempts the attempts made when it gave up
     * @param lastError the error of the last attempt, if any
     * @param deadAt when it gave up
     * @param redrivenAt when it was re-driven, if it was
     */
    public record DeadLetterEntry(int attempts, @Nullable String lastError, Instant deadAt,
                                  @Nullable Instant redrivenAt) {

        /**
         * Refuses nulls where a value is required.
         *
         * @param attempts the attempts made when it gave up
         * @param lastError the error of the last attempt, if any
         * @param deadAt when it gave up
         * @param redrivenAt when it was re-driven, if it was
         */
        public DeadLetterEntry {
            Objects.requireNonNull(deadAt, "deadAt");
        }
    }
}
