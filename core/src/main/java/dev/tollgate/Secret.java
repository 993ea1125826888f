package dev.tollgate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (webhook signing secret, API key, bearer token, password) that cannot be printed
 * by accident: {@link #toString()} returns the {@linkplain #masked() masked} form, such as
 * {@code whsec_…abcd}. Use {@link #reveal()} only where the raw value is needed, for example as an
 * HMAC key.
 *
 * <pre>{@code
 * Secret secret = Secret.of(System.getenv("TOLLGATE_STRIPE_WEBHOOK_SECRET"));
 * log.info("using {}", secret); // prints whsec_…abcd
 * }</pre>
 */
public final class Secret {

    private static final int VISIBLE_SUFFIX = 4;
    private static final int MIN_LENGTH_FOR_SUFFIX = 12;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * Wraps a secret value.
     *
     * @param value the raw value; must not be {@code null} or blank
     * @return the secret
     * @throws IllegalArgumentException if the value is blank
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret must not be empty or blank");
        }
        return new Secret(value);
    }

    /**
     * Returns the raw value. Never log it, put it in an exception message or send it to a client.
     *
     * @return the raw secret
     */
    public String reveal() {
        return value;
    }

    /**
     * Returns the raw value as UTF-8 bytes, for use as a key.
     *
     * @return a fresh array holding the UTF-8 bytes of the secret
     */
    public byte[] revealBytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns a form safe to show in logs and health output: a known prefix (the text up to and
     * including the first {@code _}, when it is short, as in {@code whsec_} or {@code sk_live_}) and the last
     * four characters, when the secret is long enough that they give nothing away
     * ({@code whsec_…abcd}); otherwise {@code ****}.
     *
     * @param value a raw secret, may be empty
     * @return the masked form
     */
    public static String mask(String value) {
        Objects.requireNonNull(value, "value");
        String prefix = knownPrefix(value);
        if (value.length() - prefix.length() < MIN_LENGTH_FOR_SUFFIX) {
            return prefix + "****";
        }
        return prefix + "…" + value.substring(value.length() - VISIBLE_SUFFIX);
    }

    /**
     * Returns the masked form of this secret.
     *
     * @return the masked form, see {@link #mask(String)}
     */
    public String masked() {
        return mask(value);
    }

    private static String knownPrefix(String value) {
        // Prefixes such as whsec_, sk_live_, sk_test_, rk_live_ name the kind of key, not the key.
        int end = 0;
        for (int i = 0; i < Math.min(value.length(), 9); i++) {
            if (value.charAt(i) == '_') {
                end = i + 1;
            }
        }
        return value.substring(0, end);
    }

    /** Compares in constant time, so equality checks leak no timing information. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        // Constant: a hash of the value would be a (weak) oracle for it; secrets are rarely map keys.
        return Secret.class.hashCode();
    }

    /** Returns the masked form, never the value. */
    @Override
    public String toString() {
        return masked();
    }
}
