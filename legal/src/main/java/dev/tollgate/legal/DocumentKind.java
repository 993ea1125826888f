package dev.tollgate.legal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The kind of a legal document: {@link #TERMS}, {@link #PRIVACY}, {@link #IMPRINT}, or any other lower-case
 * name ({@code cookies}, {@code dpa}, …) made with {@link #of(String)}.
 *
 * @param name a lower-case identifier of at most 32 characters ({@code [a-z][a-z0-9_-]*}), also the page path
 */
public record DocumentKind(String name) {

    // Declared before the constants: their construction uses it.
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /** Terms of service. */
    public static final DocumentKind TERMS = new DocumentKind("terms");
    /** Privacy policy. */
    public static final DocumentKind PRIVACY = new DocumentKind("privacy");
    /** Imprint (legal notice). */
    public static final DocumentKind IMPRINT = new DocumentKind("imprint");

    /**
     * Validates the name.
     *
     * @param name a lower-case identifier of at most 32 characters ({@code [a-z][a-z0-9_-]*}), also the page path
     * @throws LegalException with {@link LegalException.Reason#INVALID_INPUT} if the name is not a short
     *     lower-case identifier
     */
    public DocumentKind {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new LegalException(LegalException.Reason.INVALID_INPUT, "a document kind is a lower-case identifier "
                    + "of at most 32 characters such as 'terms', but was '" + abbreviate(name) + "'");
        }
    }

    /**
     * @param name the kind's name, such as {@code cookies}
     * @return the kind
     */
    public static DocumentKind of(String name) {
        return new DocumentKind(name);
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
    }

    /** @return the name */
    @Override
    public String toString() {
        return name;
    }
}
