package dev.tollgate.health.contributors;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.internal.SensitiveText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern NAME =
            Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62})(?:\\(\\))?");

    private final SqlIntegrityVerifier verifier;
    private final String displayName;

    private SqlVerifierHealthContributor(SqlIntegrityVerifier verifier) {
        this.verifier = verifier;
        this.displayName = verifier.function() + "()";
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
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(functionName, "functionName");
        Matcher m = NAME.matcher(functionName);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + SensitiveText.scrub(functionName.length() > 80
                    ? functionName.substring(0, 80) + "…" : functionName)
                    + "' is not a verifier function name: use schema.function, lower-case letters, digits and _"
                    + " (for example billing.verify_billing_schema)");
        }
        return new SqlVerifierHealthContributor(SqlIntegrityVerifier.of(dataSource, m.group(1)));
    }

    /** Calls the function and maps its rows. */
    @Override
    public Health check() {
        List<IntegrityCheck> rows = verifier.verify().checks();
        if (rows.isEmpty()) {
            return Health.down(displayName + " returned no checks");
        }
        if (rows.size() == 1 && isUnavailable(rows.get(0))) {
            String detail = rows.get(0).detail();
            return Health.down(detail.contains("(SQL state 42883)") || detail.contains("(SQL state 3F000)")
                    ? displayName + " does not exist: apply the Tollgate migrations"
                    : "could not run " + displayName + ": " + clip(SensitiveText.scrub(detail)));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        int warnings = 0;
        int shown = 0;
        for (IntegrityCheck row : rows) {
            String value;
            switch (row.status()) {
                case PASS -> value = "PASS";
                case WARN -> {
                    warnings++;
                    value = "WARN" + suffix(row.detail());
                }
                default -> {
                    failed.add(row.name());
                    value = "FAIL" + suffix(row.detail());
                }
            }
            if (shown < MAX_DETAILS) {
                String key = "check." + clip(row.name());
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
            all.put(Health.REASON, failed.size() + " of " + rows.size() + " checks of " + displayName
                    + " failed: " + clip(String.join(", ", failed)));
        }
        all.put("function", displayName);
        all.put("checks", rows.size());
        all.put("failed", failed.size());
        all.put("warnings", warnings);
        if (rows.size() > shown) {
            all.put("checks.not_shown", rows.size() - shown);
        }
        all.putAll(details);
        return new Health(status, all);
    }

    /** The single row {@link SqlIntegrityVerifier} reports when the function could not be run at all. */
    private static boolean isUnavailable(IntegrityCheck row) {
        return row.status() == IntegrityCheck.Status.FAIL && row.name().equals(SqlIntegrityVerifier.UNAVAILABLE_CHECK)
                && row.detail().contains(" could not be run (SQL state ");
    }

    private static String suffix(String detail) {
        return detail.isBlank() ? "" : ": " + clip(detail);
    }

    private static String clip(String s) {
        return s.length() > MAX_DETAIL_LENGTH ? s.substring(0, MAX_DETAIL_LENGTH) + "…" : s;
    }

    @Override
    public String toString() {
        return "SqlVerifierHealthContributor[" + displayName + "]";
    }
}
