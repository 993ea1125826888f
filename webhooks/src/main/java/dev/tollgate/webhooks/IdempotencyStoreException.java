package dev.tollgate.webhooks;

import dev.tollgate.TollgateException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdempotencyStore} could not do what was asked. A webhook endpoint answers 503 so the
 * provider delivers again later; nothing was half-done (every store operation is atomic).
 */
public final class IdempotencyStoreException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why the store failed. */
    public enum Reason {
        /** The database could not be reached or a connection could not be had in time. */
        UNAVAILABLE,
        /** The in-memory store is full of events that are still being processed. */
        CAPACITY_EXCEEDED,
        /** A statement failed for another reason (for example the schema is missing: run the migrations). */
        STATEMENT_FAILED
    }

    /** The machine-readable reason, for callers that map the failure without parsing the message. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the machine-readable reason
     * @param message what failed and what to do; never a payload or a secret
     * @param cause the underlying failure, may be {@code null}
     */
    public IdempotencyStoreException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the store failed */
    public Reason reason() {
        return reason;
    }
}
