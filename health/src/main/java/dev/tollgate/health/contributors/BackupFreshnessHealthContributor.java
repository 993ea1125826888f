package dev.tollgate.health.contributors;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reports whether the newest backup is recent enough. The operator says where the newest backup's time
 * comes from: a marker file that the backup job touches ({@link #ofMarkerFile}) or any
 * {@link Supplier} (a query of a backup table, an object-store listing). Older than the limit, or
 * missing, is DOWN. Usually registered not critical, with an alert on it.
 *
 * <pre>{@code
 * registry.register("backup", BackupFreshnessHealthContributor.ofMarkerFile(
 *         Path.of("/var/backups/last-success"), Duration.ofHours(26), Clock.systemUTC()),
 *         HealthCheckOptions.defaults().withCritical(false));
 * }</pre>
 */
public final class BackupFreshnessHealthContributor implements HealthContributor {

    private final Supplier<Optional<Instant>> newestBackup;
    private final Duration maxAge;
    private final Clock clock;

    private BackupFreshnessHealthContributor(Supplier<Optional<Instant>> newestBackup, Duration maxAge, Clock clock) {
        this.newestBackup = newestBackup;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * A contributor reading the newest backup's time from a supplier.
     *
     * @param newestBackup the newest backup's completion time, empty when there is none
     * @param maxAge the oldest acceptable age, positive
     * @param clock the clock to measure age with
     * @return the contributor
     */
    public static BackupFreshnessHealthContributor of(Supplier<Optional<Instant>> newestBackup, Duration maxAge,
                                                      Clock clock) {
        Objects.requireNonNull(newestBackup, "newestBackup");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(clock, "clock");
        if (maxAge.isZero() || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be positive, but was " + maxAge);
        }
        return new BackupFreshnessHealthContributor(newestBackup, maxAge, clock);
    }

    /**
     * A contributor reading the last-modified time of a marker file the backup job touches on success.
     *
     * @param marker the marker file
     * @param maxAge the oldest acceptable age, positive
     * @param clock the clock to measure age with
     * @return the contributor
     */
    public static BackupFreshnessHealthContributor ofMarkerFile(Path marker, Duration maxAge, Clock clock) {
        Objects.requireNonNull(marker, "marker");
        return of(() -> {
            try {
                return Optional.of(Files.getLastModifiedTime(marker).toInstant());
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the backup marker " + marker.getFileName(), e);
            }
        }, maxAge, clock);
    }

    /**
     * The newest backup's age now, for a gauge ({@code dev.tollgate.health.micrometer.MicrometerBackupAge}).
     *
     * @return the age, or empty when no backup is known or its time cannot be read
     */
    public Optional<Duration> age() {
        try {
            return newestBackup.get().map(newest -> {
                Duration age = Duration.between(newest, clock.instant());
                return age.isNegative() ? Duration.ZERO : age;
            });
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Compares the newest backup's age with the limit. */
    @Override
    public Health check() {
        Optional<Instant> newest = Objects.requireNonNull(newestBackup.get(), "the newest backup supplier returned null");
        if (newest.isEmpty()) {
            return Health.down("no backup found").withDetail("maxAgeSeconds", maxAge.getSeconds());
        }
        Duration age = Duration.between(newest.get(), clock.instant());
        Health health;
        if (age.compareTo(maxAge) > 0) {
            health = Health.down("the newest backup is " + hours(age) + " old, over the limit of " + hours(maxAge));
        } else {
            health = Health.up();
        }
        return health.withDetail("newestBackup", newest.get().toString())
                .withDetail("ageSeconds", Math.max(0, age.getSeconds()))
                .withDetail("maxAgeSeconds", maxAge.getSeconds());
    }

    private static String hours(Duration d) {
        long minutes = d.toMinutes();
        return minutes >= 120 ? (minutes / 60) + " h" : minutes + " min";
    }
}
