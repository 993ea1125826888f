package dev.tollgate.health.contributors;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.health.internal.ContributorSlot;
import dev.tollgate.health.internal.VerifierFunction;
import dev.tollgate.health.internal.VerifierRow;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Runs a verifier function such as {@code billing.verify_billing_schema()}, which returns
 * {@code (check_name, status, detail)} rows: any {@code FAIL} (or an unknown status, or no rows at all)
 * is {@link Status#DOWN}; {@code WARN} stays {@link Status#UP} with the warning in the details. Each
 * check is a detail {@code check.<name>} = {@code PASS}, {@code WARN: …} or {@code FAIL: …}.
 *
 * <pre>{@code
 * registry.register("billing.schema",
 *         SqlVerifierHealthContributor.of(dataSource, "billing.verify_billing_schema"),
 *         HealthCheckOptions.defaults().withCacheFor(Duration.ofMinutes(1)));
 * }</pre>
 */
public final class SqlVerifierHealthContributor implements HealthContributor {

    /** At most this many checks appear as details; the rest are counted. */
    static final int MAX_DETAILS = 100;
    private static final int MAX_DETAIL_LENGTH = 300;

    private final VerifierFunction function;

    private SqlVerifierHealthContributor(VerifierFunction function) {
        this.function = function;
    }

    /**
     * A contributor calling a verifier function.
     *
     * @param dataSource the database
     * @param functionName {@code schema.function}, lower-case SQL identifiers only
     * @return the contributor
     * @throws IllegalArgumentException if the name is not {@code schema.function}
     */
    public static SqlVerifierHealthContributor of(DataSource dataSource, String functionName) {
        return new SqlVerifierHealthContributor(VerifierFunction.of(dataSource, functionName));
    }

    /** Calls the function and maps its rows. */
    @Override
    public Health check() {
        List<VerifierRow> rows;
        try {
            rows = function.run();
        } catch (SQLException e) {
            String reason = "42883".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())
                    ? function.displayName() + " does not exist: apply the Tollgate migrations"
                    : "could not run " + function.displayName() + ": " + ContributorSlot.describe(e);
            return Health.down(reason);
        }
        if (rows.isEmpty()) {
            return Health.down(function.displayName() + " returned no checks");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        int warnings = 0;
        int shown = 0;
        for (VerifierRow row : rows) {
            String status = row.status().strip().toUpperCase(Locale.ROOT);
            String value;
            switch (status) {
                case "PASS" -> value = "PASS";
                case "WARN" -> {
                    warnings++;
                    value = "WARN" + suffix(row.detail());
                }
                case "FAIL" -> {
                    failed.add(row.checkName());
                    value = "FAIL" + suffix(row.detail());
                }
                default -> {
                    failed.add(row.checkName());
                    value = "FAIL: unexpected status '" + clip(row.status()) + "'" + suffix(row.detail());
                }
            }
            if (shown < MAX_DETAILS) {
                String key = "check." + (row.checkName().isBlank() ? "(unnamed)" : clip(row.checkName()));
                String unique = key;
                for (int n = 2; details.containsKey(unique); n++) {
                    unique = key + "#" + n;
                }
                details.put(unique, value);
                shown++;
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        Status status = failed.isEmpty() ? Status.UP : Status.DOWN;
        if (!failed.isEmpty()) {
            all.put(Health.REASON, failed.size() + " of " + rows.size() + " checks of " + function.displayName()
                    + " failed: " + clip(String.join(", ", failed)));
        }
        all.put("function", function.displayName());
        all.put("checks", rows.size());
        all.put("failed", failed.size());
        all.put("warnings", warnings);
        if (rows.size() > shown) {
            all.put("checks.not_shown", rows.size() - shown);
        }
        all.putAll(details);
        return new Health(status, all);
    }

    private static String suffix(String detail) {
        return detail.isBlank() ? "" : ": " + clip(detail);
    }

    private static String clip(String s) {
        return s.length() > MAX_DETAIL_LENGTH ? s.substring(0, MAX_DETAIL_LENGTH) + "…" : s;
    }

    @Override
    public String toString() {
        return "SqlVerifierHealthContributor[" + function.displayName() + "]";
    }
}
