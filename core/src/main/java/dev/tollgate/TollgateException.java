package dev.tollgate;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Tollgate throws. It is unchecked; each module has specific subclasses
 * that carry a machine-readable reason, so callers can map them to HTTP status codes without parsing
 * messages.
 *
 * <p>Messages say what failed, why, and what to do next. They never contain a secret, a full
 * signature or personal data.
 */
public class TollgateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what failed and what to do about it
     */
    public TollgateException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and the cause.
     *
     * @param message what failed and what to do about it
     * @param cause the underlying failure, may be {@code null}
     */
    public TollgateException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
