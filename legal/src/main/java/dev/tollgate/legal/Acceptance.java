package dev.tollgate.legal;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stored acceptance of one document version by one user.
 *
 * @param id the row id in {@code legal.acceptances}
 * @param userId the opaque user id
 * @param kind the accepted document's kind
 * @param version the accepted document's version
 * @param contentSha256 the SHA-256 of the accepted text
 * @param acceptedAt when it was accepted
 * @param source where it was accepted, such as {@code signup} or {@code settings}
 * @param ipHash the HMAC-SHA256 of the client IP address, or {@code null}
 * @param userAgentHash the HMAC-SHA256 of the client user agent, or {@code null}
 */
public record Acceptance(long id, String userId, DocumentKind kind, String version, String contentSha256,
                         Instant acceptedAt, String source, @Nullable String ipHash, @Nullable String userAgentHash) {

    /**
     * Refuses nulls.
     *
     * @param id the row id in {@code legal.acceptances}
     * @param userId the opaque user id
     * @param kind the accepted document's kind
     * @param version the accepted document's version
     * @param contentSha256 the SHA-256 of the accepted text
     * @param acceptedAt when it was accepted
     * @param source where it was accepted, such as {@code signup} or {@code settings}
     * @param ipHash the HMAC-SHA256 of the client IP address, or {@code null}
     * @param userAgentHash the HMAC-SHA256 of the client user agent, or {@code null}
     */
    public Acceptance {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(source, "source");
    }

    /** Leaves out the user id (personal data) and the fingerprints. */
    @Override
    public String toString() {
        return "Acceptance[id " + id + ", " + kind + " " + version + ", at " + acceptedAt + ", source " + source + "]";
    }
}
