package dev.tollgate.consent;

import dev.tollgate.TollgateException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A consent operation was refused or failed. {@link #reason()} is machine-readable; the message names what was
 * wrong without personal data. When a write throws this, nothing was written.
 */
public final class ConsentException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why the operation was refused or failed. */
    public enum Reason {
        /** Input is empty, malformed or oversized (subject id, source, purposes, …). */
        INVALID_INPUT,
        /** The policy version has not been published. */
        UNKNOWN_POLICY_VERSION,
        /** A purpose is not part of the policy version. */
        UNKNOWN_PURPOSE,
        /** The policy version is not in effect yet (effective date in the future), or no policy is in effect. */
        POLICY_NOT_IN_EFFECT,
        /** A policy with this version was already published; publish a new version instead. */
        DUPLICATE_VERSION,
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
    public ConsentException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param reason the machine-readable reason
     * @param message what failed and what to do, without personal data
     * @param cause the underlying failure, may be {@code null}
     */
    public ConsentException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the operation was refused or failed */
    public Reason reason() {
        return reason;
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
    }
}
