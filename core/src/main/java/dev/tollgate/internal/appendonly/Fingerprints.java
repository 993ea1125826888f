package dev.tollgate.internal.appendonly;

import dev.tollgate.Secret;
import dev.tollgate.internal.Digests;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The keyed fingerprint stored instead of an IP address or user agent: HMAC-SHA256 (hex) under the service's
 * fingerprint key, never the raw value.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    /**
     * Fingerprints a value, if one is given.
     *
     * @param key the fingerprint key, or {@code null} when none is configured
     * @param value the IP address or user agent, or {@code null}
     * @param missingKey the exception to throw when a value is given but no key is configured
     * @return the fingerprint, or {@code null} when {@code value} is {@code null}
     */
    public static @Nullable String of(@Nullable Secret key, @Nullable String value,
                                      Supplier<? extends RuntimeException> missingKey) {
        if (value == null) {
            return null;
        }
        if (key == null) {
            throw missingKey.get();
        }
        return Digests.hmacSha256Hex(key, value);
    }
}
