package dev.tollgate.health;

import dev.tollgate.internal.SensitiveText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A structured start-up line, one per component, that operators grep for and log pipelines parse:
 * {@code tollgate.webhooks.ready provider=stripe}, {@code tollgate.billing.enforcement mode=on},
 * {@code tollgate.config.validated environment=production}. Written at INFO to the SLF4J logger
 * {@value #LOGGER_NAME}.
 *
 * <pre>{@code
 * StartupMarker.of("webhooks", "ready").with("provider", "stripe").log();
 * }</pre>
 *
 * <p>Values are restricted to short tokens (letters, digits, {@code . _ : / -}), so a marker cannot carry a
 * secret, a URL with a password or free text; anything that looks like a secret is refused.
 *
 * @param component the component, a lower-case token such as {@code webhooks}
 * @param event what happened, a lower-case token such as {@code ready}
 * @param fields {@code key=value} fields in order
 */
public record StartupMarker(String component, String event, Map<String, String> fields) {

    /** The SLF4J logger markers are written to. */
    public static final String LOGGER_NAME = "dev.tollgate.startup";

    private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
    private static final Logger DEFAULT_LOGGER = LoggerFactory.getLogger(LOGGER_NAME);

    /**
     * Creates a marker, checking every part.
     *
     * @param component the component, a lower-case token such as {@code webhooks}
     * @param event what happened, a lower-case token such as {@code ready}
     * @param fields {@code key=value} fields in order
     * @throws IllegalArgumentException naming every bad part (values are not echoed)
     */
    public StartupMarker {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(fields, "fields");
        List<String> problems = new ArrayList<>();
        if (!TOKEN.matcher(component).matches()) {
            problems.add("component must be a lower-case token (a-z, 0-9, _), but was '" + component + "'");
        }
        if (!TOKEN.matcher(event).matches()) {
            problems.add("event must be a lower-case token (a-z, 0-9, _), but was '" + event + "'");
        }
        fields.forEach((k, v) -> {
            if (k == null || !TOKEN.matcher(k).matches()) {
                problems.add("field name must be a lower-case token, but was '" + k + "'");
            }
            if (v == null || !VALUE.matcher(v).matches() || !SensitiveText.scrub(v).equals(v)) {
                problems.add("field '" + k + "' must be a short token (letters, digits, . _ : / -) that is not a"
                        + " secret; its value was refused and is not shown");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid start-up marker: " + String.join("; ", problems));
        }
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * A marker without fields.
     *
     * @param component the component, such as {@code webhooks}
     * @param event what happened, such as {@code ready}
     * @return the marker
     */
    public static StartupMarker of(String component, String event) {
        return new StartupMarker(component, event, Map.of());
    }

    /**
     * The same marker with one more field.
     *
     * @param key a lower-case token
     * @param value a short token, never a secret
     * @return a new marker
     */
    public StartupMarker with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new StartupMarker(component, event, copy);
    }

    /**
     * The line, for example {@code tollgate.config.validated environment=production}.
     *
     * @return the line
     */
    public String line() {
        StringBuilder s = new StringBuilder("tollgate.").append(component).append('.').append(event);
        fields.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    /** Writes the line at INFO to the {@value #LOGGER_NAME} logger. */
    public void log() {
        log(DEFAULT_LOGGER);
    }

    /**
     * Writes the line at INFO to a logger.
     *
     * @param logger the logger
     */
    public void log(Logger logger) {
        Objects.requireNonNull(logger, "logger").info("{}", line());
    }

    @Override
    public String toString() {
        return line();
    }
}
