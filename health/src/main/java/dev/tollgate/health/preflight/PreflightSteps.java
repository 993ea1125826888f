package dev.tollgate.health.preflight;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.health.config.ConfigProblem;
import dev.tollgate.health.config.ConfigReport;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.health.contributors.SqlVerifierHealthContributor;
import dev.tollgate.health.contributors.BackupFreshnessHealthContributor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     * Every Tollgate verifier function, in migration order, ending with the final hardening checks.
     */
    public static final List<String> VERIFIER_FUNCTIONS = List.of("webhooks.verify_webhook_schema",
            "billing.verify_billing_schema", "consent.verify_consent_schema", "legal.verify_legal_acceptance_integrity",
            "tollgate.verify_final_hardening");

    /** The legal documents a public service must publish: terms, privacy policy and imprint. */
    public static final List<String> REQUIRED_LEGAL_DOCUMENTS = List.of("terms", "privacy", "imprint");

    /**
     * Whether {@code legal.documents} has a version of each of {@link #REQUIRED_LEGAL_DOCUMENTS} in effect now
     * (plain SQL: the legal module is not needed on the class path). FAIL names the missing ones.
     *
     * @param dataSource the database
     * @param clock the clock that says what "in effect" means
     * @return the step
     */
    public static PreflightCheck legalDocuments(DataSource dataSource, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        return () -> {
            List<String> present = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT DISTINCT kind FROM legal.documents WHERE kind = ANY (?) AND effective_at <= ? ORDER BY kind")) {
                s.setArray(1, c.createArrayOf("text", REQUIRED_LEGAL_DOCUMENTS.toArray()));
                s.setTimestamp(2, Timestamp.from(clock.instant()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        present.add(rs.getString(1));
                    }
                }
            }
            List<String> missing = REQUIRED_LEGAL_DOCUMENTS.stream().filter(k -> !present.contains(k)).toList();
            return missing.isEmpty()
                    ? PreflightOutcome.pass(String.join(", ", REQUIRED_LEGAL_DOCUMENTS) + " are published and in effect")
                    : PreflightOutcome.fail("no document in effect for: " + String.join(", ", missing)
                            + " (publish them with LegalService.publish)");
        };
    }

    /**
     * Whether the newest backup is recent enough, from the marker file the backup job touches on success.
     *
     * @param marker the marker file
     * @param maxAge the oldest acceptable age
     * @param clock the clock to measure age with
     * @return the step
     */
    public static PreflightCheck backupFreshness(Path marker, Duration maxAge, Clock clock) {
        return fromHealth(BackupFreshnessHealthContributor.ofMarkerFile(marker, maxAge, clock));
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
