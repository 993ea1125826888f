package dev.tollgate.webhooks.internal;

import dev.tollgate.webhooks.ClaimResult;
import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the idempotency stores, so both refuse the same inputs the same way. */
public final class StoreArguments {

    /** The longest stored error text. */
    public static final int MAX_ERROR_LENGTH = 1000;
    /** The longest provider name. */
    public static final int MAX_PROVIDER_LENGTH = 100;
    /** The longest event id. */
    public static final int MAX_EVENT_ID_LENGTH = 255;

    private StoreArguments() {
    }

    /**
     * Checks a provider name and event id.
     *
     * @param provider the provider
     * @param eventId the event id
     */
    public static void requireKey(String provider, String eventId) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        if (provider.isEmpty() || provider.length() > MAX_PROVIDER_LENGTH) {
            throw new IllegalArgumentException("provider must have 1 to " + MAX_PROVIDER_LENGTH
                    + " characters, but had " + provider.length());
        }
        if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH) {
            throw new IllegalArgumentException("eventId must have 1 to " + MAX_EVENT_ID_LENGTH
                    + " characters, but had " + eventId.length());
        }
    }

    /**
     * Checks a lease duration.
     *
     * @param lease the lease
     */
    public static void requireLease(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, but was " + lease);
        }
    }

    /**
     * Checks that a claim is a {@code NEW} one, the only kind that may be completed or failed.
     *
     * @param claim the claim
     */
    public static void requireNewClaim(ClaimResult claim) {
        Objects.requireNonNull(claim, "claim");
        if (!claim.isNew()) {
            throw new IllegalArgumentException("only a NEW claim can be completed or failed, but this one is "
                    + claim.status());
        }
    }

    /**
     * Checks the maximum number of attempts.
     *
     * @param maxAttempts the maximum
     */
    public static void requireMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
    }

    /**
     * Checks a list limit.
     *
     * @param limit the limit
     */
    public static void requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
    }

    /**
     * Truncates an error text to {@link #MAX_ERROR_LENGTH} characters.
     *
     * @param error the error text
     * @return the text, truncated with a trailing {@code …} when it was longer
     */
    public static String truncateError(String error) {
        Objects.requireNonNull(error, "error");
        if (error.length() <= MAX_ERROR_LENGTH) {
            return error;
        }
        int end = MAX_ERROR_LENGTH - 1;
        if (Character.isHighSurrogate(error.charAt(end - 1))) {
            end--;
        }
        return error.substring(0, end) + "…";
    }
}
