package dev.tollgate.legal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A document the user must accept now, and why.
 *
 * @param document the current version of the document
 * @param reason why it is needed
 * @param acceptedVersion the version the user accepted before, or {@code null} if never
 */
public record PendingAcceptance(LegalDocument document, Reason reason, @Nullable String acceptedVersion) {

    /** Why a document must be accepted. */
    public enum Reason {
        /** The user never accepted any version of this kind. */
        NOT_ACCEPTED,
        /** A version newer than the accepted one requires re-acceptance (a major change). */
        REACCEPTANCE_REQUIRED
    }

    /**
     * Refuses nulls.
     *
     * @param document the current version of the document
     * @param reason why it is needed
     * @param acceptedVersion the version the user accepted before, or {@code null} if never
     */
    public PendingAcceptance {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(reason, "reason");
    }
}
