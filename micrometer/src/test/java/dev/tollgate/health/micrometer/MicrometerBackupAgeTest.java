package dev.tollgate.health.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.contributors.BackupFreshnessHealthContributor;
import dev.tollgate.health.metrics.TollgateMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup-age gauge the dashboard's backup panel and the TollgateBackupStale alert read. */
class MicrometerBackupAgeTest {

    @Test
    void theGaugeIsTheNewestBackupsAgeInSecondsReadAtEveryScrape() {
        AtomicReference<Optional<Instant>> newest = new AtomicReference<>(Optional.empty());
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerBackupAge.register(registry, BackupFreshnessHealthContributor.of(newest::get, Duration.ofHours(26),
                clock));

        assertEquals(Double.POSITIVE_INFINITY, registry.get(TollgateMeters.BACKUP_AGE).gauge().value(),
                "no backup known: infinitely old, so the alert fires");
        newest.set(Optional.of(Instant.parse("2026-11-23T02:30:00Z")));
        assertEquals(9.5 * 3600, registry.get(TollgateMeters.BACKUP_AGE).gauge().value(), 1e-9);
        newest.set(Optional.of(Instant.parse("2026-11-23T12:05:00Z")));
        assertEquals(0, registry.get(TollgateMeters.BACKUP_AGE).gauge().value(), 1e-9, "a clock skew is not negative");
    }

    @Test
    void aMarkerFileFeedsTheSeriesTheAlertQueries(@TempDir Path dir) throws Exception {
        Path marker = Files.createFile(dir.resolve("backup-ok"));
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        Files.setLastModifiedTime(marker, FileTime.from(now.minus(Duration.ofHours(30))));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerBackupAge.register(registry, BackupFreshnessHealthContributor.ofMarkerFile(marker,
                Duration.ofHours(26), Clock.fixed(now, ZoneOffset.UTC)));
        String scrape = registry.scrape();
        assertTrue(scrape.contains("tollgate_backup_age_seconds 108000.0"), scrape);
        Files.delete(marker);
        assertTrue(registry.scrape().contains("tollgate_backup_age_seconds +Inf"), "an unreadable marker: +Inf");
    }
}
