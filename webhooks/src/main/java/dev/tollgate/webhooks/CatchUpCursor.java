package dev.tollgate.webhooks;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link StripeCatchUp} stands for one provider, as stored in {@code webhooks.catch_up_cursors}.
 *
 * @param provider the provider name
 * @param windowFrom the start of the last (or running) run's window
 * @param windowUntil the end of that window: events created later are left to the next run
 * @param resumeAfter the last event an unfinished run handled (the next run continues after it), or
 *                    {@code null} when the last run finished
 * @param caughtUpUntil every event created up to this time has been seen by a finished run, or {@code null}
 *                      when no run has finished yet
 * @param updatedAt when the cursor last changed
 */
public record CatchUpCursor(String provider, Instant windowFrom, Instant windowUntil, @Nullable String resumeAfter,
                            @Nullable Instant caughtUpUntil, Instant updatedAt) {

    /**
     * Refuses nulls where a value is required.
     *
     * @param provider the provider name
     * @param windowFrom the start of the last (or running) run's window
     * @param windowUntil the end of that window
     * @param resumeAfter the last event an unfinished run handled, or {@code null}
     * @param caughtUpUntil the time up to which every event has been seen, or {@code null}
     * @param updatedAt when the cursor last changed
     */
    public CatchUpCursor {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(windowFrom, "windowFrom");
        Objects.requireNonNull(windowUntil, "windowUntil");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** @return whether a run stopped part-way and will be continued by the next one */
    public boolean unfinished() {
        return resumeAfter != null;
    }
}
