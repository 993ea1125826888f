package dev.tollgate.migrations;

import dev.tollgate.TollgateException;
import org.jspecify.annotations.Nullable;

/**
 * A migration could not be found, read or applied, or an applied migration was changed afterwards.
 * Nothing of a failed migration file is left behind: each file runs in its own transaction.
 */
public final class MigrationException extends TollgateException {

    private static final long serialVersionUID = 1L;

    MigrationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
