package dev.tollgate.health.contributors;

import dev.tollgate.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.HealthReport;
import dev.tollgate.health.Status;
import dev.tollgate.health.config.ProductionConfigValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallContributorsTest {

    @Test
    void killSwitchOffIsOutOfServiceForPurchasesNotDownForTheApp() {
        PurchasesKillSwitch off = PurchasesKillSwitch.fromEnvironment(Map.of("TOLLGATE_PURCHASES_ENABLED", "false"));
        assertFalse(off.enabled());
        try (HealthRegistry registry = HealthRegistry.builder()
                .register("database", Health::up)
                .register("purchases", off, PurchasesKillSwitch.OPTIONS)
                .build()) {
            HealthReport report = registry.check();
            assertEquals(Status.UP, report.status());
            assertTrue(report.ready());
            assertEquals(Status.OUT_OF_SERVICE, report.contributor("purchases").orElseThrow().status());
            assertEquals("purchases are switched off by TOLLGATE_PURCHASES_ENABLED=false",
                    report.contributor("purchases").orElseThrow().health().reason());
        }
    }

    @Test
    void killSwitchReadsPlainNamesLiveFlagsAndTreatsTyposAsOff() {
        assertTrue(PurchasesKillSwitch.fromEnvironment(Map.of()).enabled());
        assertEquals(Status.UP, PurchasesKillSwitch.fromEnvironment(Map.of()).check().status());
        assertFalse(PurchasesKillSwitch.fromEnvironment(Map.of("PURCHASES_ENABLED", " OFF ")).enabled());
        assertTrue(PurchasesKillSwitch.fromEnvironment(Map.of("TOLLGATE_PURCHASES_ENABLED", "true",
                "PURCHASES_ENABLED", "false")).enabled(), "the TOLLGATE_ name wins");
        PurchasesKillSwitch typo = PurchasesKillSwitch.fromEnvironment(Map.of("TOLLGATE_PURCHASES_ENABLED", "flase"));
        assertFalse(typo.enabled());
        assertEquals(Status.DOWN, typo.check().status());
        AtomicReference<String> flag = new AtomicReference<>("true");
        PurchasesKillSwitch live = PurchasesKillSwitch.of(flag::get);
        assertTrue(live.enabled());
        flag.set("0");
        assertFalse(live.enabled());
        assertEquals(Status.OUT_OF_SERVICE, live.check().status());
        flag.set(null);
        assertTrue(live.enabled());
    }

    @Test
    void backupFreshnessComparesAgeByTheClock() {
        MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");
        AtomicReference<Optional<Instant>> newest = new AtomicReference<>(Optional.empty());
        BackupFreshnessHealthContributor backup = BackupFreshnessHealthContributor.of(newest::get, Duration.ofHours(26), clock);
        assertEquals("no backup found", backup.check().reason());
        newest.set(Optional.of(Instant.parse("2026-11-22T11:00:00Z")));
        Health fresh = backup.check();
        assertEquals(Status.UP, fresh.status());
        assertEquals(25L * 3600, fresh.details().get("ageSeconds"));
        clock.advance(Duration.ofHours(1));
        assertEquals(Status.UP, backup.check().status(), "exactly at the limit is still fresh");
        clock.advance(Duration.ofSeconds(1));
        Health stale = backup.check();
        assertEquals(Status.DOWN, stale.status());
        assertEquals("the newest backup is 26 h old, over the limit of 26 h", stale.reason());
        newest.set(Optional.of(Instant.parse("2026-11-24T00:00:00Z")));
        Health future = backup.check();
        assertEquals(Status.UP, future.status());
        assertEquals(0L, future.details().get("ageSeconds"));
        assertThrows(IllegalArgumentException.class,
                () -> BackupFreshnessHealthContributor.of(Optional::empty, Duration.ZERO, clock));
    }

    @Test
    void backupMarkerFile(@TempDir Path dir) throws Exception {
        MutableClock clock = MutableClock.at("2026-11-23T12:00:00Z");
        Path marker = dir.resolve("last-backup");
        BackupFreshnessHealthContributor backup =
                BackupFreshnessHealthContributor.ofMarkerFile(marker, Duration.ofHours(1), clock);
        assertEquals("no backup found", backup.check().reason());
        Files.writeString(marker, "");
        Files.setLastModifiedTime(marker, FileTime.from(Instant.parse("2026-11-23T11:30:00Z")));
        assertEquals(Status.UP, backup.check().status());
        Files.setLastModifiedTime(marker, FileTime.from(Instant.parse("2026-11-23T10:30:00Z")));
        assertEquals(Status.DOWN, backup.check().status());
    }

    @Test
    void configurationContributorIsDownOnlyInProduction() {
        Map<String, String> prod = Map.of("TOLLGATE_ENVIRONMENT", "production",
                "TOLLGATE_STRIPE_API_KEY", "sk_test_51HxYzAbCdEfGhIjKlMn");
        Health down = ConfigurationHealthContributor.of(ProductionConfigValidator.builder().environment(prod).build()).check();
        assertEquals(Status.DOWN, down.status());
        assertEquals("production", down.details().get("environment"));
        assertEquals("TEST_KEY_IN_PRODUCTION", down.details().get("problem.TOLLGATE_STRIPE_API_KEY"));
        assertEquals("MISSING", down.details().get("problem.TOLLGATE_DATABASE_URL"));
        assertFalse(down.toString().contains("51HxYzAbCdEfGhIjKlMn"));
        Health dev = ConfigurationHealthContributor.of(ProductionConfigValidator.builder()
                .environment(Map.of("TOLLGATE_BILLING_ENFORCEMENT", "sometimes")).build()).check();
        assertEquals(Status.UP, dev.status());
        assertEquals(1, dev.details().get("problems"));
    }
}
