package dev.tollgate.internal;

import dev.tollgate.Secret;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets and personal data from free text: e-mail addresses, API keys and webhook secrets,
 * bearer tokens and JWTs, passwords in URLs, {@code key=value} pairs whose key names a secret
 * (query strings included), signature values and card-like numbers that pass the Luhn check.
 * Used for health output, log lines and Sentry events.
 */
public final class SensitiveText {

    /** What replaces a removed value. */
    public static final String FILTERED = "[Filtered]";
    /** Longer texts are cut to this many characters before scrubbing. */
    public static final int MAX_LENGTH = 65_536;

    private static final String SENSITIVE_KEY =
            "(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth(?:orization)?"
                    + "|signature|sig|credentials?|cookie|session(?:[_-]?id)?|dsn|card(?:[_-]?number)?|cvc|cvv|pan|email)";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]{0,20}://[^\\s:/@]{0,128}:)[^\\s@/]{1,256}@");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic|token)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern PREFIXED_KEY = Pattern.compile(
            "\\b(?:whsec|sk_live|sk_test|rk_live|rk_test|pk_live|pk_test|sk|rk|pk|appl|goog|amzn|strp|sk_ant|ghp|xox[abp])"
                    + "_[A-Za-z0-9_]{8,}");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?<![\\w.-])[\\w.-]{0,40}?" + SENSITIVE_KEY + "[\\w.-]{0,40}\"?\\s{0,8}[=:]\\s{0,8})(\"[^\"]{0,4096}\"|'[^']{0,4096}'|(?:(?:bearer|basic|token|digest)\\s{1,8})?[^\\s&,;\"']+)");
    private static final Pattern SIGNATURE_PART = Pattern.compile("\\b(v[01]|s[0-9])=[0-9a-fA-F]{16,}");
    private static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,8}\\.[A-Za-z]{2,24}");
    private static final Pattern CARD = Pattern.compile("(?<![\\d])(?:\\d[ -]?){12,18}\\d(?![\\d])");
    private static final Pattern KEY_NAME = Pattern.compile("(?i).*" + SENSITIVE_KEY + ".*");

    private SensitiveText() {
    }

    /**
     * Removes secrets and personal data from a text.
     *
     * @param text any text
     * @return the text with sensitive parts replaced by {@link #FILTERED} or a masked form, cut to
     *     {@link #MAX_LENGTH} characters
     */
    public static String scrub(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            return text;
        }
        String cut = text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + "…[truncated]" : text;
        String s = URL_PASSWORD.matcher(cut).replaceAll("$1" + Matcher.quoteReplacement(FILTERED) + "@");
        s = JWT.matcher(s).replaceAll(Matcher.quoteReplacement(FILTERED));
        s = BEARER.matcher(s).replaceAll("$1 " + Matcher.quoteReplacement(FILTERED));
        s = replace(PREFIXED_KEY, s, m -> Secret.mask(m.group()));
        s = KEY_VALUE.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(FILTERED));
        s = SIGNATURE_PART.matcher(s).replaceAll("$1=" + Matcher.quoteReplacement(FILTERED));
        s = EMAIL.matcher(s).replaceAll(Matcher.quoteReplacement(FILTERED));
        s = replace(CARD, s, m -> luhn(m.group()) ? FILTERED : m.group());
        return s;
    }

    /**
     * Whether a field, header or parameter name names a secret or personal data ({@code Authorization},
     * {@code Stripe-Signature}, {@code Cookie}, {@code password}, {@code api_key}, {@code email}, …).
     *
     * @param name the name
     * @return {@code true} if its value must be removed whatever it looks like
     */
    public static boolean isSensitiveName(String name) {
        Objects.requireNonNull(name, "name");
        return KEY_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * Whether a digit string (spaces and dashes allowed) passes the Luhn check, as card numbers do.
     *
     * @param candidate the digits
     * @return {@code true} for a Luhn-valid number of 13 to 19 digits
     */
    public static boolean luhn(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19 || !digits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
