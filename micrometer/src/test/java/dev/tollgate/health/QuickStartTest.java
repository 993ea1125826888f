package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.contributors.ConfigurationHealthContributor;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.health.contributors.PurchasesKillSwitch;
import dev.tollgate.health.micrometer.MicrometerHealthObserver;
import dev.tollgate.health.preflight.Preflight;
import dev.tollgate.health.preflight.PreflightReport;
import dev.tollgate.health.preflight.PreflightSteps;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The README's quick start, verbatim between the markers. */
@TollgatePostgres
class QuickStartTest {

    @Test
    void quickStart(DataSource dataSource) {
        Map<String, String> environment = Map.of("TOLLGATE_ENVIRONMENT", "staging", "TOLLGATE_PURCHASES_ENABLED", "false");
        SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
        // quick-start:begin
        ProductionConfigValidator config = ProductionConfigValidator.builder().environment(environment).build();
        config.validateOrThrow(); // in production: one exception listing every problem

        try (HealthRegistry registry = HealthRegistry.builder()
                .register("database", DatabaseHealthContributor.of(dataSource))
                .register("config", ConfigurationHealthContributor.of(config),
                        HealthCheckOptions.defaults().withCacheFor(Duration.ofMinutes(1)))
                .register("purchases", PurchasesKillSwitch.fromEnvironment(environment), PurchasesKillSwitch.OPTIONS)
                .observer(new MicrometerHealthObserver(meterRegistry))
                .build()) {
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version("1.4.2").build();
            HealthResponse ready = endpoints.handle("/health/ready"); // write status, content type, body
            assertEquals("{\"ready\":true}", ready.bodyText());

            PreflightReport preflight = Preflight.builder()
                    .step("configuration", PreflightSteps.configuration(config))
                    .step("database", PreflightSteps.database(dataSource))
                    .build().run();
            assertEquals(0, preflight.exitCode());
        }
        // quick-start:end
        assertTrue(meterRegistry.find("tollgate.health.check").timers().size() >= 3);
    }
}
