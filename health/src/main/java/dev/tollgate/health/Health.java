package dev.tollgate.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one contributor found: a {@link Status} and details.
 *
 * <p>Detail values are restricted to {@link String}, {@link Number} and {@link Boolean}, so that
 * nothing unexpected (a connection, a secret holder) ends up in health output. Never put a secret or
 * personal data in a detail.
 *
 * <pre>{@code
 * return Health.up().withDetail("pool.active", 3);
 * return Health.down("connection refused");
 * }</pre>
 *
 * @param status the status
 * @param details details in insertion order, immutable
 */
public record Health(Status status, Map<String, Object> details) {

    /** The detail key under which {@link #down(String)} and similar put their reason. */
    public static final String REASON = "reason";

    /**
     * Creates a health value, checking the details.
     *
     * @param status the status
     * @param details the details; values must be strings, numbers or booleans
     * @throws IllegalArgumentException if a detail value has another type
     */
    public Health {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(details, "details");
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : details.entrySet()) {
            Objects.requireNonNull(e.getKey(), "detail key");
            copy.put(e.getKey(), checkValue(e.getKey(), e.getValue()));
        }
        details = Collections.unmodifiableMap(copy);
    }

    /**
     * An {@link Status#UP} health without details.
     *
     * @return the health
     */
    public static Health up() {
        return new Health(Status.UP, Map.of());
    }

    /**
     * A {@link Status#DOWN} health with a reason.
     *
     * @param reason why, shown in health output: no secrets
     * @return the health
     */
    public static Health down(String reason) {
        return of(Status.DOWN, reason);
    }

    /**
     * A {@link Status#OUT_OF_SERVICE} health with a reason.
     *
     * @param reason why, shown in health output: no secrets
     * @return the health
     */
    public static Health outOfService(String reason) {
        return of(Status.OUT_OF_SERVICE, reason);
    }

    /**
     * A health with a status and a reason.
     *
     * @param status the status
     * @param reason why, shown in health output: no secrets
     * @return the health
     */
    public static Health of(Status status, String reason) {
        Objects.requireNonNull(reason, "reason");
        return new Health(status, Map.of(REASON, reason));
    }

    /**
     * The same health with one more detail (replacing a detail of the same key).
     *
     * @param key the detail name
     * @param value a string, number or boolean
     * @return a new health
     */
    public Health withDetail(String key, Object value) {
        Objects.requireNonNull(key, "key");
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(key, value);
        return new Health(status, copy);
    }

    /**
     * The reason detail, if there is one.
     *
     * @return the reason, or an empty string
     */
    public String reason() {
        Object reason = details.get(REASON);
        return reason == null ? "" : reason.toString();
    }

    private static Object checkValue(String key, Object value) {
        Objects.requireNonNull(value, () -> "detail '" + key + "' is null");
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        throw new IllegalArgumentException("detail '" + key + "' is a " + value.getClass().getName()
                + ": health details must be strings, numbers or booleans");
    }
}
