package dev.tollgate.consent;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A consent policy version {@code <major>.<minor>}. A new major version changes what subjects consent to and
 * asks everyone again; a minor version (wording, a fixed typo) does not.
 *
 * @param major the major version, 0-999999
 * @param minor the minor version, 0-999999
 */
public record PolicyVersion(int major, int minor) implements Comparable<PolicyVersion> {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,6})\\.(\\d{1,6})");
    private static final Comparator<PolicyVersion> ORDER =
            Comparator.comparingInt(PolicyVersion::major).thenComparingInt(PolicyVersion::minor);

    /**
     * Validates the range.
     *
     * @param major the major version, 0-999999
     * @param minor the minor version, 0-999999
     */
    public PolicyVersion {
        if (major < 0 || minor < 0 || major > 999_999 || minor > 999_999) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                    "policy version parts must be 0-999999, but were " + major + "." + minor);
        }
    }

    /**
     * @param text a version such as {@code 2.1}
     * @return the version
     * @throws ConsentException with {@link ConsentException.Reason#INVALID_INPUT} if it is not {@code <major>.<minor>}
     */
    public static PolicyVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                    "a policy version is <major>.<minor> such as 2.1, but was '" + ConsentException.abbreviate(text) + "'");
        }
        return new PolicyVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * @param other another version
     * @return whether this version has a greater major version, which requires re-consent
     */
    public boolean isNewMajorOver(PolicyVersion other) {
        return major > Objects.requireNonNull(other, "other").major;
    }

    @Override
    public int compareTo(PolicyVersion other) {
        return ORDER.compare(this, other);
    }

    /** @return {@code major.minor} */
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
