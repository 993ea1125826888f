package dev.tollgate.legal;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An acceptance to be stored by a {@link LegalRepository}: already validated, timestamped and with hashed
 * fingerprints. {@link LegalService} makes these from an {@link AcceptanceRequest}.
 *
 * @param userId the opaque user id
 * @param kind the document kind
 * @param version the document version
 * @param expectedSha256 the hash of the text the user was shown, or {@code null} to accept the stored text
 * @param acceptedAt when it was accepted
 * @param source where it was accepted
 * @param ipHash the HMAC-SHA256 of the IP address (hex), or {@code null}
 * @param userAgentHash the HMAC-SHA256 of the user agent (hex), or {@code null}
 */
public record NewAcceptance(String userId, DocumentKind kind, String version, @Nullable String expectedSha256,
                            Instant acceptedAt, String source, @Nullable String ipHash, @Nullable String userAgentHash) {

    /**
     * Refuses nulls.
     *
     * @param userId the opaque user id
     * @param kind the document kind
     * @param version the document version
     * @param expectedSha256 the hash of the text the user was shown, or {@code null} to accept the stored text
     * @param acceptedAt when it was accepted
     * @param source where it was accepted
     * @param ipHash the HMAC-SHA256 of the IP address (hex), or {@code null}
     * @param userAgentHash the HMAC-SHA256 of the user agent (hex), or {@code null}
     */
    public NewAcceptance {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(source, "source");
    }

    /** Leaves out the user id and fingerprints. */
    @Override
    public String toString() {
        return "NewAcceptance[" + kind + " " + version + ", at " + acceptedAt + ", source " + source + "]";
    }
}
