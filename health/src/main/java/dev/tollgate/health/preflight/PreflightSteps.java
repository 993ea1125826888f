package dev.tollgate.health.preflight;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.health.config.ConfigProblem;
import dev.tollgate.health.config.ConfigReport;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.health.contributors.SqlVerifierHealthContributor;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The preflight steps Tollgate ships so far: configuration validation, database reachable, a verifier
 * function, and any health contributor (such as backup freshness).
 */
public final class PreflightSteps {

    private PreflightSteps() {
    }

    /**
     * Validates the configuration: problems in production FAIL, problems elsewhere WARN.
     *
     * @param validator the validator
     * @return the check
     */
    public static PreflightCheck configuration(ProductionConfigValidator validator) {
        Objects.requireNonNull(validator, "validator");
        return () -> {
            ConfigReport report = validator.validate();
            if (report.ok()) {
                return PreflightOutcome.pass(report.environment() + ", no problems");
            }
            String problems = report.problems().stream().map(ConfigProblem::message).collect(Collectors.joining("; "));
            String detail = report.environment() + ", " + report.problems().size() + " problems: " + problems;
            return report.production() ? PreflightOutcome.fail(detail) : PreflightOutcome.warn(detail);
        };
    }

    /**
     * The database answers {@code SELECT 1}.
     *
     * @param dataSource the database
     * @return the check
     */
    public static PreflightCheck database(DataSource dataSource) {
        return fromHealth(DatabaseHealthContributor.of(dataSource));
    }

    /**
     * A verifier function's checks: any FAIL fails, any WARN warns.
     *
     * @param dataSource the database
     * @param functionName {@code schema.function}
     * @return the check
     */
    public static PreflightCheck verifier(DataSource dataSource, String functionName) {
        SqlVerifierHealthContributor contributor = SqlVerifierHealthContributor.of(dataSource, functionName);
        return () -> {
            Health health = contributor.check();
            Object warnings = health.details().getOrDefault("warnings", 0);
            String summary = health.details().getOrDefault("checks", 0) + " checks, " + warnings + " warnings";
            if (health.status() != Status.UP) {
                return PreflightOutcome.fail(health.reason());
            }
            return warnings instanceof Integer w && w > 0 ? PreflightOutcome.warn(summary) : PreflightOutcome.pass(summary);
        };
    }

    /**
     * Any health contributor as a step (for example backup freshness): UP passes, DOWN fails,
     * OUT_OF_SERVICE and UNKNOWN warn.
     *
     * @param contributor the contributor
     * @return the check
     */
    public static PreflightCheck fromHealth(HealthContributor contributor) {
        Objects.requireNonNull(contributor, "contributor");
        return () -> {
            Health health = contributor.check();
            String detail = health.reason().isEmpty() ? health.status().name().toLowerCase(java.util.Locale.ROOT)
                    : health.reason();
            return switch (health.status()) {
                case UP -> PreflightOutcome.pass(detail);
                case DOWN -> PreflightOutcome.fail(detail);
                case OUT_OF_SERVICE, UNKNOWN -> PreflightOutcome.warn(detail);
            };
        };
    }
}
