package dev.tollgate.consent;

import dev.tollgate.internal.Digests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One published version of the consent policy: its purposes, and the SHA-256 of exactly what the subject was
 * shown, so a record proves what was consented to.
 *
 * <pre>{@code
 * ConsentPolicy policy = ConsentPolicy.builder()
 *         .version("2.0").effectiveAt(Instant.parse("2026-12-01T00:00:00Z"))
 *         .purpose(Purpose.necessary("necessary", "Sign-in and security"))
 *         .purpose(Purpose.optional("analytics", "Anonymous usage statistics"))
 *         .shownText(bannerText)            // stored, and hashed
 *         .build();
 * }</pre>
 *
 * @param version the version
 * @param effectiveAt from when this version applies
 * @param purposes the purposes, 1-50, unique ids, at least one necessary is not required
 * @param textSha256 the SHA-256 (lower-case hex) of the text shown
 * @param shownText the text shown, or {@code null} when only its hash is kept (at most 200,000 characters)
 */
public record ConsentPolicy(PolicyVersion version, Instant effectiveAt, List<Purpose> purposes, String textSha256,
                            @Nullable String shownText) {

    /** The most purposes a policy may have. */
    public static final int MAX_PURPOSES = 50;
    /** The longest stored text, in characters. */
    public static final int MAX_TEXT_LENGTH = 200_000;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates every field and reports all problems at once.
     *
     * @param version the version
     * @param effectiveAt from when this version applies
     * @param purposes the purposes, 1-50, unique ids, at least one necessary is not required
     * @param textSha256 the SHA-256 (lower-case hex) of the text shown
     * @param shownText the text shown, or {@code null} when only its hash is kept (at most 200,000 characters)
     * @throws ConsentException with {@link ConsentException.Reason#INVALID_INPUT}
     */
    public ConsentPolicy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(purposes, "purposes");
        Objects.requireNonNull(textSha256, "textSha256");
        purposes = List.copyOf(purposes);
        List<String> problems = new ArrayList<>();
        if (purposes.isEmpty() || purposes.size() > MAX_PURPOSES) {
            problems.add("a policy needs 1-" + MAX_PURPOSES + " purposes, not " + purposes.size());
        }
        Set<String> ids = new HashSet<>();
        for (Purpose purpose : purposes) {
            if (!ids.add(purpose.id())) {
                problems.add("purpose '" + purpose.id() + "' is listed twice");
            }
        }
        if (!SHA256.matcher(textSha256).matches()) {
            problems.add("textSha256 must be 64 lower-case hex digits");
        }
        if (shownText != null) {
            if (shownText.isBlank() || shownText.length() > MAX_TEXT_LENGTH) {
                problems.add("shownText must be 1-" + MAX_TEXT_LENGTH + " characters, but had " + shownText.length());
            } else if (shownText.indexOf('\u0000') >= 0) {
                problems.add("shownText must not contain NUL characters (PostgreSQL text cannot store them)");
            } else if (!Digests.sha256Hex(shownText).equals(textSha256)) {
                problems.add("textSha256 is not the SHA-256 of shownText");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                    "invalid consent policy " + version + ": " + String.join("; ", problems));
        }
    }

    /**
     * @param id a purpose id
     * @return the purpose, if this policy has it
     */
    public Optional<Purpose> purpose(String id) {
        Objects.requireNonNull(id, "id");
        return purposes.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * The SHA-256 of a text as stored in {@code text_sha256}: UTF-8 bytes, lower-case hex.
     *
     * @param text the text shown
     * @return its SHA-256
     */
    public static String sha256Of(String text) {
        return Digests.sha256Hex(Objects.requireNonNull(text, "text"));
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ConsentPolicy}; {@link #build()} names every missing field at once. */
    public static final class Builder {
        private @Nullable String version;
        private @Nullable Instant effectiveAt;
        private final List<Purpose> purposes = new ArrayList<>();
        private @Nullable String textSha256;
        private @Nullable String shownText;

        private Builder() {
        }

        /**
         * @param version such as {@code 2.0}
         * @return this builder
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * @param effectiveAt from when it applies
         * @return this builder
         */
        public Builder effectiveAt(Instant effectiveAt) {
            this.effectiveAt = Objects.requireNonNull(effectiveAt, "effectiveAt");
            return this;
        }

        /**
         * @param purpose a purpose, in display order
         * @return this builder
         */
        public Builder purpose(Purpose purpose) {
            purposes.add(Objects.requireNonNull(purpose, "purpose"));
            return this;
        }

        /**
         * @param text the exact text shown; stored and hashed
         * @return this builder
         */
        public Builder shownText(String text) {
            this.shownText = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * @param sha256 the hash of the text shown, when the text itself is kept elsewhere
         * @return this builder
         */
        public Builder textSha256(String sha256) {
            this.textSha256 = Objects.requireNonNull(sha256, "sha256");
            return this;
        }

        /**
         * @return the policy
         * @throws ConsentException with {@link ConsentException.Reason#INVALID_INPUT} naming every problem
         */
        public ConsentPolicy build() {
            List<String> missing = new ArrayList<>();
            if (version == null) {
                missing.add("version");
            }
            if (effectiveAt == null) {
                missing.add("effectiveAt");
            }
            if (shownText == null && textSha256 == null) {
                missing.add("shownText or textSha256");
            }
            if (!missing.isEmpty()) {
                throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                        "a consent policy needs " + String.join(", ", missing));
            }
            String text = shownText;
            String hash = textSha256 != null ? textSha256
                    : Objects.requireNonNull(text).length() <= MAX_TEXT_LENGTH ? Digests.sha256Hex(text) : "0".repeat(64);
            return new ConsentPolicy(PolicyVersion.parse(Objects.requireNonNull(version)),
                    Objects.requireNonNull(effectiveAt), purposes, hash, text);
        }
    }

    /** Shows version, date, purpose ids and hash prefix, not the text. */
    @Override
    public String toString() {
        return "ConsentPolicy[" + version + ", effective " + effectiveAt + ", purposes "
                + purposes.stream().map(Purpose::id).toList() + ", sha256 " + textSha256.substring(0, 12) + "…]";
    }
}
