package dev.tollgate.integrity;

import java.util.Locale;
import java.util.Objects;

/**
 * One row of an integrity report: what was checked, how it went, and a human explanation that names the
 * offending rows when something is off.
 *
 * @param name the check's machine-readable name, such as {@code audit_chain_links}
 * @param status the outcome
 * @param detail a human explanation (never personal data or secrets)
 */
public record IntegrityCheck(String name, Status status, String detail) {

    /** The outcome of one check, as the SQL verifier functions spell it ({@code PASS}, {@code WARN}, {@code FAIL}). */
    public enum Status {
        /** The check holds. */
        PASS,
        /** Not broken, but worth a look (for example: no policy published yet). */
        WARN,
        /** The check does not hold; the detail says where. */
        FAIL;

        /**
         * Parses a status as the SQL functions return it, ignoring case and surrounding blanks.
         *
         * @param text {@code PASS}, {@code WARN} or {@code FAIL}
         * @return the status
         * @throws IllegalArgumentException for any other text
         */
        public static Status parse(String text) {
            Objects.requireNonNull(text, "text");
            String normalized = text.strip().toUpperCase(Locale.ROOT);
            for (Status status : values()) {
                if (status.name().equals(normalized)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not an integrity status: expected PASS, WARN or FAIL");
        }
    }

    /**
     * Refuses nulls and a blank name.
     *
     * @param name the check's machine-readable name, such as {@code audit_chain_links}
     * @param status the outcome
     * @param detail a human explanation (never personal data or secrets)
     */
    public IntegrityCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an integrity check needs a name");
        }
    }

    /**
     * A passing check.
     *
     * @param name the check's name
     * @param detail what was found
     * @return the check
     */
    public static IntegrityCheck pass(String name, String detail) {
        return new IntegrityCheck(name, Status.PASS, detail);
    }

    /**
     * A warning.
     *
     * @param name the check's name
     * @param detail what was found
     * @return the check
     */
    public static IntegrityCheck warn(String name, String detail) {
        return new IntegrityCheck(name, Status.WARN, detail);
    }

    /**
     * A failed check.
     *
     * @param name the check's name
     * @param detail what is wrong and where
     * @return the check
     */
    public static IntegrityCheck fail(String name, String detail) {
        return new IntegrityCheck(name, Status.FAIL, detail);
    }
}
