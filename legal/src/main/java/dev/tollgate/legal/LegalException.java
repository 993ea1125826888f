package dev.tollgate.legal;

import dev.tollgate.TollgateException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A legal operation was refused or failed. {@link #reason()} is machine-readable; the message names what was
 * wrong without personal data. When this is thrown by a write, nothing was written.
 */
public final class LegalException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why the operation was refused or failed. */
    public enum Reason {
        /** Input is empty, malformed or oversized (user id, source, version, content, …). */
        INVALID_INPUT,
        /** The named document kind and version has not been published. */
        UNKNOWN_DOCUMENT,
        /** A document with this kind and version was already published; publish a new version instead. */
        DUPLICATE_VERSION,
        /** The hash of the text the user was shown differs from the stored document: show the current text again. */
        DOCUMENT_CHANGED,
        /** An IP address or user agent was given but no fingerprint key is configured to hash it. */
        FINGERPRINT_KEY_MISSING,
        /** The database could not be reached or refused the statement. */
        STORAGE_FAILURE
    }

    /** Why the operation was refused or failed; serialized with the exception. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason the machine-readable reason
     * @param message what failed and what to do, without personal data
     */
    public LegalException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason the machine-readable reason
     * @param message what failed and what to do, without personal data
     * @param cause the underlying failure, may be {@code null}
     */
    public LegalException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the operation was refused or failed */
    public Reason reason() {
        return reason;
    }
}
