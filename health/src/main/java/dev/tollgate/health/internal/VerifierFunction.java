package dev.tollgate.health.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Calls a verifier function {@code schema.fn()} that {@code RETURNS TABLE(check_name text, status text,
 * detail text)}. The seam between the health contributor and the SQL: swap this class for
 * {@code dev.tollgate.integrity.SqlIntegrityVerifier} once it exists in core.
 *
 * <p>The name is checked against a strict identifier pattern and quoted; it is never used otherwise.
 */
public final class VerifierFunction {

    private static final Pattern NAME =
            Pattern.compile("([a-z_][a-z0-9_]{0,62})\\.([a-z_][a-z0-9_]{0,62})(?:\\(\\))?");

    private final DataSource dataSource;
    private final String schema;
    private final String function;

    private VerifierFunction(DataSource dataSource, String schema, String function) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.function = function;
    }

    /**
     * @param dataSource the database
     * @param qualifiedName {@code schema.function} or {@code schema.function()}, lower-case identifiers
     * @return the verifier call
     * @throws IllegalArgumentException if the name is not two lower-case SQL identifiers
     */
    public static VerifierFunction of(DataSource dataSource, String qualifiedName) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(qualifiedName, "qualifiedName");
        Matcher m = NAME.matcher(qualifiedName);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + SensitiveText.scrub(qualifiedName.length() > 80
                    ? qualifiedName.substring(0, 80) + "…" : qualifiedName)
                    + "' is not a verifier function name: use schema.function, lower-case letters, digits and _"
                    + " (for example billing.verify_billing_schema)");
        }
        return new VerifierFunction(dataSource, m.group(1), m.group(2));
    }

    /**
     * @return {@code schema.function()}
     */
    public String displayName() {
        return schema + "." + function + "()";
    }

    /**
     * Runs the function.
     *
     * @return its rows, in order; {@code null} columns become {@code ""} (and {@code null} status {@code "NULL"})
     * @throws SQLException if the call fails (function missing, database down)
     */
    public List<VerifierRow> run() throws SQLException {
        // Both parts matched NAME above and are quoted: nothing else reaches the SQL text.
        String sql = "SELECT check_name, status, detail FROM \"" + schema + "\".\"" + function + "\"()";
        List<VerifierRow> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement call = connection.prepareStatement(sql);
             ResultSet rs = call.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                String status = rs.getString(2);
                String detail = rs.getString(3);
                rows.add(new VerifierRow(name == null ? "" : name, status == null ? "NULL" : status,
                        detail == null ? "" : detail));
            }
        }
        return rows;
    }
}
