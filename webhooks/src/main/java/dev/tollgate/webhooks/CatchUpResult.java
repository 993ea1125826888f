package dev.tollgate.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StripeCatchUp} run did (or, in a dry run, would do).
 *
 * @param provider the provider name events were handled under
 * @param dryRun whether nothing was applied and the cursor was left as it was
 * @param resumed whether the run continued an unfinished one from its cursor
 * @param since the window's start: events created at or after it were listed
 * @param until the window's end: events created later are left to the next run
 * @param listed events the provider listed in the window (this run's part of it when resumed)
 * @param applied events handed to the pipeline as new (a dry run: that would be)
 * @param alreadyProcessed events the store already knew (processed, being processed, queued or dead-lettered)
 * @param skippedUnhandledType events of a type without a handler
 * @param pages list calls answered
 * @param rateLimitWaits 429 answers waited out
 * @param cursor the stored cursor after the run, or {@code null} in a dry run that found none
 * @param items every listed event with what happened to it, in the provider's order (newest first)
 */
public record CatchUpResult(String provider, boolean dryRun, boolean resumed, Instant since, Instant until,
                            int listed, int applied, int alreadyProcessed, int skippedUnhandledType, int pages,
                            int rateLimitWaits, @Nullable CatchUpCursor cursor, List<Item> items) {

    /**
     * Copies the items and refuses nulls.
     *
     * @param provider the provider name
     * @param dryRun whether nothing was applied
     * @param resumed whether the run continued an unfinished one
     * @param since the window's start
     * @param until the window's end
     * @param listed events listed
     * @param applied events applied (or that would be)
     * @param alreadyProcessed events the store already knew
     * @param skippedUnhandledType events without a handler
     * @param pages list calls answered
     * @param rateLimitWaits 429 answers waited out
     * @param cursor the stored cursor after the run, or {@code null}
     * @param items every listed event with what happened to it
     */
    public CatchUpResult {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** What happened to one listed event. */
    public enum Action {
        /** Handed to the pipeline and handled (or queued, for an asynchronous pipeline). */
        APPLIED,
        /** A dry run: it would be handed to the pipeline. */
        WOULD_APPLY,
        /** The store already knew it: skipped. */
        ALREADY_PROCESSED,
        /** No handler takes its type: skipped. */
        UNHANDLED_TYPE
    }

    /**
     * One listed event.
     *
     * @param eventId the provider's event id
     * @param type the event type
     * @param created when the provider created it
     * @param action what happened to it
     */
    public record Item(String eventId, String type, Instant created, Action action) {

        /**
         * Refuses nulls.
         *
         * @param eventId the provider's event id
         * @param type the event type
         * @param created when the provider created it
         * @param action what happened to it
         */
        public Item {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(action, "action");
        }
    }
}
