package dev.tollgate.health.micrometer;

import dev.tollgate.health.contributors.BackupFreshnessHealthContributor;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The gauge {@value TollgateMeters#BACKUP_AGE}: seconds since the newest backup that a
 * {@link BackupFreshnessHealthContributor} sees, read at every scrape ({@code +Inf} when no backup is known or
 * its time cannot be read, so that the alert fires),
 * for the dashboard's backup panel and the {@code TollgateBackupStale} alert.
 *
 * <pre>{@code
 * BackupFreshnessHealthContributor backups = BackupFreshnessHealthContributor.ofMarkerFile(marker, Duration.ofHours(26), clock);
 * MicrometerBackupAge.register(meterRegistry, backups);
 * }</pre>
 */
public final class MicrometerBackupAge {

    private MicrometerBackupAge() {
    }

    /**
     * Registers the gauge.
     *
     * @param registry where to register
     * @param backups the contributor whose backup source is read
     * @return the gauge
     */
    public static Gauge register(MeterRegistry registry, BackupFreshnessHealthContributor backups) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(backups, "backups");
        return Gauge.builder(TollgateMeters.BACKUP_AGE, backups,
                        b -> b.age().map(age -> age.toMillis() / 1000.0).orElse(Double.POSITIVE_INFINITY))
                .description("seconds since the newest backup; +Inf when none is known")
                .strongReference(true)
                .register(registry);
    }
}
