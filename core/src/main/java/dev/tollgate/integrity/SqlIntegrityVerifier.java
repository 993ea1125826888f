package dev.tollgate.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Runs a SQL verifier function ({@code SELECT check_name, status, detail FROM <schema>.<function>()}) and
 * returns its rows as an {@link IntegrityReport}.
 *
 * <pre>{@code
 * SqlIntegrityVerifier verifier = SqlIntegrityVerifier.of(dataSource, "legal.verify_legal_acceptance_integrity");
 * boolean ok = verifier.verify().passed();
 * }</pre>
 *
 * <p>When the function cannot be run (database down, function missing), {@link #verify()} does not throw:
 * it returns a report with one {@code FAIL} check named {@code verifier_unavailable} whose detail gives the
 * SQL state and the driver's message, so a readiness probe reports the failure instead of crashing.
 * Instances are immutable and thread-safe.
 */
public final class SqlIntegrityVerifier {

    /** The name of the check reported when the verifier function cannot be run. */
    public static final String UNAVAILABLE_CHECK = "verifier_unavailable";

    private static final Pattern QUALIFIED_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String function;

    private SqlIntegrityVerifier(DataSource dataSource, String function) {
        this.dataSource = dataSource;
        this.function = function;
    }

    /**
     * A verifier for a schema-qualified function such as {@code consent.verify_consent_schema}.
     *
     * @param dataSource the database to verify
     * @param function the schema-qualified function name, lower case, without parentheses
     * @return the verifier
     * @throws IllegalArgumentException if the name is not a lower-case {@code schema.function} identifier
     */
    public static SqlIntegrityVerifier of(DataSource dataSource, String function) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(function, "function");
        if (!QUALIFIED_NAME.matcher(function).matches()) {
            throw new IllegalArgumentException("'" + function + "' is not a schema-qualified function name such as "
                    + "consent.verify_consent_schema (lower-case identifiers, no parentheses)");
        }
        return new SqlIntegrityVerifier(dataSource, function);
    }

    /** @return the schema-qualified function this verifier runs */
    public String function() {
        return function;
    }

    /**
     * Runs the function and collects its rows in order. A status the function returns other than
     * {@code PASS}/{@code WARN}/{@code FAIL} is reported as {@code FAIL}.
     *
     * @return the report
     */
    public IntegrityReport verify() {
        // The name was validated against a strict identifier pattern: it cannot carry SQL.
        String sql = "SELECT check_name, status, detail FROM " + function + "()";
        List<IntegrityCheck> checks = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                checks.add(toCheck(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        } catch (SQLException e) {
            return new IntegrityReport(List.of(IntegrityCheck.fail(UNAVAILABLE_CHECK,
                    function + "() could not be run (SQL state " + e.getSQLState() + "): " + e.getMessage())));
        }
        return new IntegrityReport(checks);
    }

    private static IntegrityCheck toCheck(String name, String status, String detail) {
        String safeName = name == null || name.isBlank() ? "unnamed_check" : name;
        String safeDetail = detail == null ? "" : detail;
        try {
            return new IntegrityCheck(safeName, IntegrityCheck.Status.parse(status == null ? "" : status), safeDetail);
        } catch (IllegalArgumentException e) {
            return IntegrityCheck.fail(safeName, "unknown status '" + status + "': " + safeDetail);
        }
    }

    @Override
    public String toString() {
        return "SqlIntegrityVerifier[" + function + "]";
    }
}
