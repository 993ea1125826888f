package dev.tollgate.health.contributors;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.health.config.ConfigProblem;
import dev.tollgate.health.config.ConfigReport;
import dev.tollgate.health.config.ProductionConfigValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reports the {@link ProductionConfigValidator}'s findings: in production any problem is
 * {@link Status#DOWN}; elsewhere problems are warnings and the status stays {@link Status#UP}. Details
 * name the problems by variable and reason, never by value.
 */
public final class ConfigurationHealthContributor implements HealthContributor {

    private final ProductionConfigValidator validator;

    private ConfigurationHealthContributor(ProductionConfigValidator validator) {
        this.validator = validator;
    }

    /**
     * @param validator the validator to run at each check
     * @return the contributor
     */
    public static ConfigurationHealthContributor of(ProductionConfigValidator validator) {
        return new ConfigurationHealthContributor(Objects.requireNonNull(validator, "validator"));
    }

    /** Validates the configuration. */
    @Override
    public Health check() {
        ConfigReport report = validator.validate();
        Map<String, Object> details = new LinkedHashMap<>();
        Status status = report.ok() || !report.production() ? Status.UP : Status.DOWN;
        if (status == Status.DOWN) {
            details.put(Health.REASON, report.problems().size() + " configuration problems in production");
        }
        details.put("environment", report.environment());
        details.put("problems", report.problems().size());
        for (ConfigProblem p : report.problems()) {
            String key = "problem." + p.setting().variable();
            details.merge(key, p.reason().name(), (a, b) -> a + "," + b);
        }
        return new Health(status, details);
    }
}
