package dev.tollgate.evidence;

import dev.tollgate.Secret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One key of a keyed chain: an id, stored with every row written under it, and the secret, which is never stored in
 * the database. Use a random value of at least 32 bytes, kept where the database administrator cannot read it (a
 * secret manager, the service's environment).
 *
 * @param id the key id, 1 to 32 of {@code A-Z a-z 0-9 . _ -}, such as {@code k2026-01}
 * @param secret the HMAC key, at least 32 characters; {@code toString()} shows it masked
 */
public record ChainKey(String id, Secret secret) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    /**
     * Validates the id and the key length.
     *
     * @param id the key id, 1 to 32 of {@code A-Z a-z 0-9 . _ -}, such as {@code k2026-01}
     * @param secret the HMAC key, at least 32 characters; {@code toString()} shows it masked
     */
    public ChainKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secret, "secret");
        checkId("a chain key id", id);
        if (secret.reveal().length() < 32) {
            throw new IllegalArgumentException("chain key " + id + " is " + secret.reveal().length()
                    + " characters long: use at least 32 random characters (openssl rand -hex 32)");
        }
    }

    static void checkId(String what, String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " is 1 to 32 of A-Z a-z 0-9 . _ -, but was '"
                    + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'");
        }
    }

    /**
     * @param id the key id
     * @param secret the key
     * @return the key
     */
    public static ChainKey of(String id, Secret secret) {
        return new ChainKey(id, secret);
    }
}
