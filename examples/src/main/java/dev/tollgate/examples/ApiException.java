package dev.tollgate.examples;

import dev.tollgate.TollgateException;
import java.util.Objects;

/**
 * A request the demo refuses, with the HTTP status and the machine-readable reason code written to the
 * client as {@code {"error":"<reason>","message":"…"}}. Messages never carry personal data or secrets.
 */
final class ApiException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status to answer. */
    private final int status;
    /** The reason code, a lower-case token. */
    private final String reason;

    ApiException(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }
}
