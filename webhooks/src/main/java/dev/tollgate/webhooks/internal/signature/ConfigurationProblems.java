package dev.tollgate.webhooks.internal.signature;

import dev.tollgate.Secret;
import dev.tollgate.webhooks.WebhookConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects every problem of a builder's settings so that {@code build()} reports them all in one
 * {@link WebhookConfigurationException}. Checks shared by the verifier builders live here.
 */
public final class ConfigurationProblems {

    private final String component;
    private final List<String> problems = new ArrayList<>();

    /**
     * Starts collecting.
     *
     * @param component the name of what is being built, used in the exception message
     */
    public ConfigurationProblems(String component) {
        this.component = component;
    }

    /**
     * Records a problem.
     *
     * @param problem a sentence without secrets
     */
    public void add(String problem) {
        problems.add(problem);
    }

    /**
     * Checks a tolerance: whole seconds, at least one second, at most one day.
     *
     * @param tolerance the configured tolerance
     */
    public void checkTolerance(Duration tolerance) {
        if (tolerance.isNegative() || tolerance.isZero()) {
            add("tolerance must be positive, but was " + tolerance
                    + ": use the default (300 s) unless the provider documents another value");
        } else if (tolerance.getNano() != 0) {
            add("tolerance must be whole seconds (timestamps are in seconds), but was " + tolerance);
        } else if (tolerance.compareTo(Duration.ofDays(1)) > 0) {
            add("tolerance must be at most 1 day, but was " + tolerance
                    + ": a wide window lets a captured delivery be replayed for that long");
        }
    }

    /**
     * Checks a body size limit: positive.
     *
     * @param maxBodyBytes the configured limit
     */
    public void checkMaxBodyBytes(int maxBodyBytes) {
        if (maxBodyBytes <= 0) {
            add("maxBodyBytes must be positive, but was " + maxBodyBytes + " (default 1048576, 1 MiB)");
        }
    }

    /**
     * Checks raw secret values common to every verifier: at least one, none blank, none with
     * surrounding whitespace (a classic copy-and-paste or environment-file mistake), no duplicates.
     *
     * @param what the name of the setting, such as {@code secret}
     * @param values the configured raw values
     */
    public void checkSecrets(String what, List<String> values) {
        if (values.isEmpty()) {
            add("no " + what + " configured: call ." + what + "(…) at least once");
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String label = what + " #" + (i + 1);
            if (value.isBlank()) {
                add(label + " is empty or blank");
                continue;
            }
            if (!value.strip().equals(value)) {
                add(secretLabel(what, i + 1, value.strip()) + " has leading or trailing whitespace: trim it");
            }
            for (int j = 0; j < i; j++) {
                if (values.get(j).equals(value)) {
                    add(label + " (" + Secret.mask(value) + ") is the same as " + what + " #" + (j + 1));
                    break;
                }
            }
        }
    }

    /**
     * Names a configured secret in a message without revealing it, as in {@code secret #2 (whsec_…abcd)}.
     *
     * @param what the name of the setting, such as {@code secret}
     * @param number the secret's 1-based position
     * @param value the secret's value
     * @return the label
     */
    public static String secretLabel(String what, int number, String value) {
        return what + " #" + number + " (" + Secret.mask(value) + ")";
    }

    /**
     * Throws when any problem was recorded.
     *
     * @throws WebhookConfigurationException naming every problem
     */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new WebhookConfigurationException(component, problems);
        }
    }

    /**
     * Formats a number of seconds with grouping, as in {@code 3,612}.
     *
     * @param seconds the number
     * @return the formatted number
     */
    public static String grouped(long seconds) {
        return String.format(Locale.ROOT, "%,d", seconds);
    }
}
