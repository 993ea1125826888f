package dev.tollgate.legal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A user accepts one or more document versions at once (for example terms and privacy at sign-up). All are
 * stored in one transaction, each with its audit row, or none is.
 *
 * <p>The IP address and user agent are optional and never stored raw: {@link LegalService} stores their
 * HMAC-SHA256 under its fingerprint key. {@link #toString()} shows neither them nor the user id.
 *
 * @param userId the opaque user id, 1-256 characters, no control characters
 * @param documents the versions accepted, at most one per kind
 * @param source where it was accepted ({@code signup}, {@code settings}, …), 1-64 characters
 * @param ipAddress the client IP address, or {@code null}
 * @param userAgent the client user agent, or {@code null}
 */
public record AcceptanceRequest(String userId, List<DocumentToAccept> documents, String source,
                                @Nullable String ipAddress, @Nullable String userAgent) {

    /** The most documents one request may accept. */
    public static final int MAX_DOCUMENTS = 20;
    /** The longest user id, in characters. */
    public static final int MAX_USER_ID_LENGTH = 256;
    /** The longest user agent, in characters. */
    public static final int MAX_USER_AGENT_LENGTH = 1024;

    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /**
     * Validates every field and reports all problems at once.
     *
     * @param userId the opaque user id, 1-256 characters, no control characters
     * @param documents the versions accepted, at most one per kind
     * @param source where it was accepted ({@code signup}, {@code settings}, …), 1-64 characters
     * @param ipAddress the client IP address, or {@code null}
     * @param userAgent the client user agent, or {@code null}
     * @throws LegalException with {@link LegalException.Reason#INVALID_INPUT}
     */
    public AcceptanceRequest {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(source, "source");
        documents = List.copyOf(documents);
        List<String> problems = new ArrayList<>();
        if (userId.isBlank() || userId.length() > MAX_USER_ID_LENGTH || CONTROL.matcher(userId).find()) {
            problems.add("userId must be 1-" + MAX_USER_ID_LENGTH + " characters, not blank, without control "
                    + "characters (had " + userId.length() + ")");
        }
        if (documents.isEmpty() || documents.size() > MAX_DOCUMENTS) {
            problems.add("accept 1-" + MAX_DOCUMENTS + " documents at once, not " + documents.size());
        }
        Set<DocumentKind> kinds = new HashSet<>();
        for (DocumentToAccept document : documents) {
            if (!kinds.add(document.kind())) {
                problems.add("document kind " + document.kind() + " is named twice");
            }
        }
        if (!SOURCE.matcher(source).matches()) {
            problems.add("source must be 1-64 letters, digits or . _ : / - (such as 'signup'), but was '"
                    + DocumentKind.abbreviate(source) + "'");
        }
        if (ipAddress != null && (ipAddress.isBlank() || ipAddress.length() > 64)) {
            problems.add("ipAddress must be 1-64 characters when given (had " + ipAddress.length() + ")");
        }
        if (userAgent != null && (userAgent.isBlank() || userAgent.length() > MAX_USER_AGENT_LENGTH)) {
            problems.add("userAgent must be 1-" + MAX_USER_AGENT_LENGTH + " characters when given (had "
                    + userAgent.length() + ")");
        }
        if (!problems.isEmpty()) {
            throw new LegalException(LegalException.Reason.INVALID_INPUT,
                    "invalid acceptance: " + String.join("; ", problems));
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One document version to accept.
     *
     * @param kind the document kind
     * @param version the version the user saw
     * @param shownSha256 the SHA-256 of the text the user was shown, or {@code null}; when given, an acceptance
     *     of a stored text with another hash is refused with {@link LegalException.Reason#DOCUMENT_CHANGED}
     */
    public record DocumentToAccept(DocumentKind kind, String version, @Nullable String shownSha256) {
        /**
         * Refuses nulls.
         *
         * @param kind the document kind
         * @param version the version the user saw
         * @param shownSha256 the SHA-256 of the text the user was shown, or {@code null}; when given, an acceptance
         *     of a stored text with another hash is refused with {@link LegalException.Reason#DOCUMENT_CHANGED}
         */
        public DocumentToAccept {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(version, "version");
        }
    }

    /** Builds an {@link AcceptanceRequest}. */
    public static final class Builder {
        private @Nullable String userId;
        private final List<DocumentToAccept> documents = new ArrayList<>();
        private @Nullable String source;
        private @Nullable String ipAddress;
        private @Nullable String userAgent;

        private Builder() {
        }

        /**
         * @param userId the opaque user id
         * @return this builder
         */
        public Builder userId(String userId) {
            this.userId = Objects.requireNonNull(userId, "userId");
            return this;
        }

        /**
         * @param kind the kind
         * @param version the version shown to the user
         * @return this builder
         */
        public Builder document(DocumentKind kind, String version) {
            documents.add(new DocumentToAccept(kind, version, null));
            return this;
        }

        /**
         * @param kind the kind
         * @param version the version shown to the user
         * @param shownSha256 the SHA-256 of the text shown
         * @return this builder
         */
        public Builder document(DocumentKind kind, String version, String shownSha256) {
            documents.add(new DocumentToAccept(kind, version, Objects.requireNonNull(shownSha256, "shownSha256")));
            return this;
        }

        /**
         * @param document the document exactly as shown (kind, version and hash)
         * @return this builder
         */
        public Builder document(LegalDocument document) {
            return document(document.kind(), document.version(), document.contentSha256());
        }

        /**
         * @param source where it was accepted, such as {@code signup}
         * @return this builder
         */
        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param ipAddress the client IP address, stored only as an HMAC
         * @return this builder
         */
        public Builder ipAddress(String ipAddress) {
            this.ipAddress = Objects.requireNonNull(ipAddress, "ipAddress");
            return this;
        }

        /**
         * @param userAgent the client user agent, stored only as an HMAC
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * @return the request
         * @throws LegalException with {@link LegalException.Reason#INVALID_INPUT} naming every problem
         */
        public AcceptanceRequest build() {
            List<String> missing = new ArrayList<>();
            if (userId == null) {
                missing.add("userId");
            }
            if (source == null) {
                missing.add("source");
            }
            if (!missing.isEmpty()) {
                throw new LegalException(LegalException.Reason.INVALID_INPUT,
                        "an acceptance needs " + String.join(", ", missing));
            }
            return new AcceptanceRequest(Objects.requireNonNull(userId), documents, Objects.requireNonNull(source),
                    ipAddress, userAgent);
        }
    }

    /** Leaves out the user id, IP address and user agent. */
    @Override
    public String toString() {
        return "AcceptanceRequest[" + documents.size() + " documents, source " + source + "]";
    }
}
