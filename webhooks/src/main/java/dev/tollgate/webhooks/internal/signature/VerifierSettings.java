package dev.tollgate.webhooks.internal.signature;

import dev.tollgate.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every verifier builder holds — its secrets, the body size limit and, for the verifiers that check a
 * signed timestamp, the tolerance and the clock — with their validation in the order each builder reports it:
 * the secrets, each secret's provider-specific check, the tolerance, the body size limit.
 */
public final class VerifierSettings {

    /**
     * A provider-specific check of one configured secret, run after the common checks on every secret that is not
     * blank.
     */
    @FunctionalInterface
    public interface SecretCheck {
        /**
         * Checks one secret.
         *
         * @param number the secret's 1-based position, as in {@code secret #2}
         * @param value the value without surrounding whitespace, not empty
         * @param problems where to record what is wrong with it
         */
        void check(int number, String value, ConfigurationProblems problems);
    }

    private final String secretName;
    private final List<String> secrets = new ArrayList<>();
    private @Nullable Duration tolerance;
    private Clock clock = Clock.systemUTC();
    private int maxBodyBytes;

    private VerifierSettings(String secretName, @Nullable Duration defaultTolerance, int defaultMaxBodyBytes) {
        this.secretName = secretName;
        this.tolerance = defaultTolerance;
        this.maxBodyBytes = defaultMaxBodyBytes;
    }

    /**
     * Settings for a verifier that checks a signed timestamp against a clock.
     *
     * @param secretName the name of the secret setting, such as {@code secret}, used in messages
     * @param defaultTolerance the tolerance until one is set
     * @param defaultMaxBodyBytes the body size limit until one is set
     * @return the settings
     */
    public static VerifierSettings timed(String secretName, Duration defaultTolerance, int defaultMaxBodyBytes) {
        return new VerifierSettings(secretName, Objects.requireNonNull(defaultTolerance, "defaultTolerance"),
                defaultMaxBodyBytes);
    }

    /**
     * Settings for a verifier without a timestamp (no tolerance, no clock).
     *
     * @param secretName the name of the secret setting, such as {@code authorization}, used in messages
     * @param defaultMaxBodyBytes the body size limit until one is set
     * @return the settings
     */
    public static VerifierSettings untimed(String secretName, int defaultMaxBodyBytes) {
        return new VerifierSettings(secretName, null, defaultMaxBodyBytes);
    }

    /**
     * Adds a secret.
     *
     * @param secret the secret
     * @throws NullPointerException named after the secret setting when {@code secret} is null
     */
    public void addSecret(Secret secret) {
        secrets.add(Objects.requireNonNull(secret, secretName).reveal());
    }

    /**
     * Adds a secret given as text.
     *
     * @param secret the secret
     * @throws NullPointerException named after the secret setting when {@code secret} is null
     */
    public void addSecret(String secret) {
        secrets.add(Objects.requireNonNull(secret, secretName));
    }

    /**
     * Sets the tolerance; checked by {@link #check}.
     *
     * @param tolerance the tolerance
     */
    public void tolerance(Duration tolerance) {
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    }

    /**
     * Sets the clock the tolerance is measured against.
     *
     * @param clock the clock
     */
    public void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sets the body size limit; checked by {@link #check}.
     *
     * @param maxBodyBytes the limit in bytes
     */
    public void maxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Records every problem of these settings: the common secret checks, then {@code eachSecret} on every secret
     * that is not blank, then the tolerance (timed settings only) and the body size limit.
     *
     * @param problems where to record the problems
     * @param eachSecret the provider-specific check of one secret
     */
    public void check(ConfigurationProblems problems, SecretCheck eachSecret) {
        problems.checkSecrets(secretName, secrets);
        for (int i = 0; i < secrets.size(); i++) {
            String value = secrets.get(i).strip();
            if (!value.isEmpty()) {
                eachSecret.check(i + 1, value, problems);
            }
        }
        if (tolerance != null) {
            problems.checkTolerance(tolerance);
        }
        problems.checkMaxBodyBytes(maxBodyBytes);
    }

    /** @return the secrets as configured, each wrapped so that it cannot be printed */
    public List<Secret> secrets() {
        return secrets.stream().map(Secret::of).toList();
    }

    /** @return the secrets masked, for a builder's {@code toString()} */
    public List<String> maskedSecrets() {
        return secrets.stream().map(Secret::mask).toList();
    }

    /**
     * The window of the timed settings; call after {@link #check} found no problem.
     *
     * @return the clock and tolerance as a window
     * @throws IllegalStateException for untimed settings
     */
    public TimestampWindow window() {
        if (tolerance == null) {
            throw new IllegalStateException("untimed verifier settings have no timestamp window");
        }
        return new TimestampWindow(clock, tolerance.getSeconds());
    }

    /** @return the tolerance, or {@code null} for untimed settings */
    public @Nullable Duration tolerance() {
        return tolerance;
    }

    /** @return the body size limit in bytes */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }
}
