package dev.tollgate.consent;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One purpose a policy asks consent for, such as {@code analytics} or {@code marketing}. A necessary purpose
 * (the service cannot work without it) is always granted and cannot be refused.
 *
 * @param id a lower-case identifier of at most 64 characters ({@code [a-z][a-z0-9_]*})
 * @param necessary whether the purpose is strictly necessary
 * @param description what the purpose is, as shown to the subject (at most 2,000 characters)
 */
public record Purpose(String id, boolean necessary, String description) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /**
     * Validates id and description.
     *
     * @param id a lower-case identifier of at most 64 characters ({@code [a-z][a-z0-9_]*})
     * @param necessary whether the purpose is strictly necessary
     * @param description what the purpose is, as shown to the subject (at most 2,000 characters)
     */
    public Purpose {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        if (!ID.matcher(id).matches() || description.length() > 2000 || description.indexOf('\u0000') >= 0) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT, "a purpose id is a lower-case identifier"
                    + " of at most 64 characters and its description at most 2000 characters without NUL, but got id '"
                    + ConsentException.abbreviate(id) + "' and a description of " + description.length() + " characters");
        }
    }

    /**
     * @param id the purpose id
     * @param description what it is
     * @return a strictly necessary purpose
     */
    public static Purpose necessary(String id, String description) {
        return new Purpose(id, true, description);
    }

    /**
     * @param id the purpose id
     * @param description what it is
     * @return an optional purpose that needs consent
     */
    public static Purpose optional(String id, String description) {
        return new Purpose(id, false, description);
    }
}
