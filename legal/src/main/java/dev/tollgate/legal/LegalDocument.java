package dev.tollgate.legal;

import dev.tollgate.internal.Digests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One published version of a legal document. Its {@link #contentSha256()} is the SHA-256 of the content, so
 * an acceptance can prove which exact text was accepted.
 *
 * <pre>{@code
 * LegalDocument terms = LegalDocument.builder()
 *         .kind(DocumentKind.TERMS).version("2.0").title("Terms of Service").language("en")
 *         .effectiveAt(Instant.parse("2026-12-01T00:00:00Z"))
 *         .content("1. Scope\n\nThese terms …")
 *         .requiresReacceptance(true)
 *         .build();
 * }</pre>
 *
 * @param kind the kind of document
 * @param version the version label, such as {@code 2.0} (letters, digits, {@code . _ -}, at most 32)
 * @param title the page title
 * @param language the BCP 47 language tag of the content, such as {@code en} or {@code de-DE}
 * @param effectiveAt from when this version applies
 * @param content the plain text of the document (paragraphs separated by blank lines), at most 1,000,000 characters
 * @param contentSha256 the SHA-256 of the content (UTF-8), lower-case hex
 * @param requiresReacceptance whether users who accepted an earlier version must accept this one (a major change)
 */
public record LegalDocument(DocumentKind kind, String version, String title, String language, Instant effectiveAt,
                            String content, String contentSha256, boolean requiresReacceptance) {

    /** The most characters a document's content may have. */
    public static final int MAX_CONTENT_LENGTH = 1_000_000;

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,31}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates every field and reports all problems at once.
     *
     * @param kind the kind of document
     * @param version the version label, such as {@code 2.0} (letters, digits, {@code . _ -}, at most 32)
     * @param title the page title
     * @param language the BCP 47 language tag of the content, such as {@code en} or {@code de-DE}
     * @param effectiveAt from when this version applies
     * @param content the plain text of the document (paragraphs separated by blank lines), at most 1,000,000 characters
     * @param contentSha256 the SHA-256 of the content (UTF-8), lower-case hex
     * @param requiresReacceptance whether users who accepted an earlier version must accept this one (a major change)
     * @throws LegalException with {@link LegalException.Reason#INVALID_INPUT} naming every bad field
     */
    public LegalDocument {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(contentSha256, "contentSha256");
        List<String> problems = new ArrayList<>();
        if (!VERSION.matcher(version).matches()) {
            problems.add("version must be 1-32 letters, digits, '.', '_' or '-' starting with a letter or digit, but was '"
                    + DocumentKind.abbreviate(version) + "'");
        }
        if (title.isBlank() || title.length() > 200) {
            problems.add("title must be 1-200 characters, but had " + title.length());
        }
        if (!LANGUAGE.matcher(language).matches()) {
            problems.add("language must be a BCP 47 tag such as 'en' or 'de-DE', but was '"
                    + DocumentKind.abbreviate(language) + "'");
        }
        if (content.isBlank() || content.length() > MAX_CONTENT_LENGTH) {
            problems.add("content must be 1-" + MAX_CONTENT_LENGTH + " characters and not blank, but had " + content.length());
        }
        if (title.indexOf('\u0000') >= 0 || content.indexOf('\u0000') >= 0) {
            problems.add("title and content must not contain NUL characters (PostgreSQL text cannot store them)");
        }
        if (!SHA256.matcher(contentSha256).matches()) {
            problems.add("contentSha256 must be 64 lower-case hex digits");
        } else if (problems.isEmpty() && !contentSha256.equals(Digests.sha256Hex(content))) {
            problems.add("contentSha256 is not the SHA-256 of the content");
        }
        if (!problems.isEmpty()) {
            throw new LegalException(LegalException.Reason.INVALID_INPUT,
                    "invalid legal document " + kind + " " + DocumentKind.abbreviate(version) + ": "
                            + String.join("; ", problems));
        }
    }

    /**
     * The SHA-256 of a text as stored in {@code content_sha256}: UTF-8 bytes, lower-case hex.
     *
     * @param content the text
     * @return its SHA-256
     */
    public static String sha256Of(String content) {
        return Digests.sha256Hex(Objects.requireNonNull(content, "content"));
    }

    /** @return a builder that computes the content hash */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link LegalDocument}; {@link #build()} reports every missing or bad field at once. */
    public static final class Builder {
        private @Nullable DocumentKind kind;
        private @Nullable String version;
        private @Nullable String title;
        private String language = "en";
        private @Nullable Instant effectiveAt;
        private @Nullable String content;
        private boolean requiresReacceptance;

        private Builder() {
        }

        /**
         * @param kind the document kind
         * @return this builder
         */
        public Builder kind(DocumentKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * @param version the version label, such as {@code 2.0}
         * @return this builder
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * @param title the page title
         * @return this builder
         */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /**
         * @param language the BCP 47 language tag (default {@code en})
         * @return this builder
         */
        public Builder language(String language) {
            this.language = Objects.requireNonNull(language, "language");
            return this;
        }

        /**
         * @param effectiveAt from when this version applies
         * @return this builder
         */
        public Builder effectiveAt(Instant effectiveAt) {
            this.effectiveAt = Objects.requireNonNull(effectiveAt, "effectiveAt");
            return this;
        }

        /**
         * @param content the plain-text content
         * @return this builder
         */
        public Builder content(String content) {
            this.content = Objects.requireNonNull(content, "content");
            return this;
        }

        /**
         * @param requiresReacceptance whether earlier acceptances stop counting (default false)
         * @return this builder
         */
        public Builder requiresReacceptance(boolean requiresReacceptance) {
            this.requiresReacceptance = requiresReacceptance;
            return this;
        }

        /**
         * @return the document
         * @throws LegalException with {@link LegalException.Reason#INVALID_INPUT} naming every missing or bad field
         */
        public LegalDocument build() {
            List<String> missing = new ArrayList<>();
            if (kind == null) {
                missing.add("kind");
            }
            if (version == null) {
                missing.add("version");
            }
            if (title == null) {
                missing.add("title");
            }
            if (effectiveAt == null) {
                missing.add("effectiveAt");
            }
            if (content == null) {
                missing.add("content");
            }
            if (!missing.isEmpty()) {
                throw new LegalException(LegalException.Reason.INVALID_INPUT,
                        "a legal document needs " + String.join(", ", missing));
            }
            String text = Objects.requireNonNull(content);
            String hash = text.length() <= MAX_CONTENT_LENGTH ? Digests.sha256Hex(text) : "0".repeat(64);
            return new LegalDocument(Objects.requireNonNull(kind), Objects.requireNonNull(version),
                    Objects.requireNonNull(title), language, Objects.requireNonNull(effectiveAt), text, hash,
                    requiresReacceptance);
        }
    }

    /** Shows kind, version, effective date and hash, not the content. */
    @Override
    public String toString() {
        return "LegalDocument[" + kind + " " + version + ", effective " + effectiveAt + ", sha256 "
                + contentSha256.substring(0, 12) + "…]";
    }
}
