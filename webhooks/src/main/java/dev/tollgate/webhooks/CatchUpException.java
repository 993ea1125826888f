package dev.tollgate.webhooks;

import dev.tollgate.TollgateException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StripeCatchUp} run stopped before its end. What it did so far is in {@link #partial()} and in
 * its stored cursor: the next run continues after the last event it handled, and applies nothing twice.
 */
public final class CatchUpException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why a run stopped. */
    public enum Reason {
        /** The provider kept answering 429 after the configured number of waits. */
        RATE_LIMITED,
        /** The provider's API failed or refused the call (a bad key, an outage, a network failure). */
        PROVIDER_UNAVAILABLE,
        /** The pipeline refused an event or its handler failed; the event keeps its state for a retry. */
        EVENT_FAILED,
        /** The idempotency store or the cursor's database could not be used. */
        STORE_UNAVAILABLE
    }

    /** Why the run stopped. */
    private final Reason reason;
    /** What the run did before it stopped (not serialized). */
    private final transient CatchUpResult partial;

    /**
     * Creates the exception.
     *
     * @param reason why the run stopped
     * @param message what failed and what to do next (never a secret)
     * @param partial what the run did before it stopped
     * @param cause the underlying failure, may be {@code null}
     */
    public CatchUpException(Reason reason, String message, CatchUpResult partial, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.partial = Objects.requireNonNull(partial, "partial");
    }

    /** @return why the run stopped */
    public Reason reason() {
        return reason;
    }

    /** @return what the run did before it stopped */
    public CatchUpResult partial() {
        return partial;
    }
}
