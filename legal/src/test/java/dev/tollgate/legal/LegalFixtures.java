package dev.tollgate.legal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;

/** Documents and SQL shortcuts shared by the legal tests. */
final class LegalFixtures {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private LegalFixtures() {
    }

    static LegalDocument doc(DocumentKind kind, String version, Instant effective, boolean major) {
        return LegalDocument.builder().kind(kind).version(version).title(title(kind))
                .effectiveAt(effective).content(kind + " version " + version + "\n\nSecond paragraph <b>&</b>.")
                .requiresReacceptance(major).build();
    }

    static String title(DocumentKind kind) {
        return switch (kind.name()) {
            case "terms" -> "Terms of Service";
            case "privacy" -> "Privacy Policy";
            case "imprint" -> "Imprint";
            default -> kind.name();
        };
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final java.util.List<String> TABLES = java.util.List.of("legal.documents", "legal.acceptances", "legal.audit_log");

    /**
     * Runs statements with the module's triggers switched off, as anyone who owns the tables could, then switches
     * them back on, all in one transaction. Needs table ownership only (the test user ran the migrations), not a
     * superuser.
     */
    static void tamper(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String table : TABLES) {
                s.execute("ALTER TABLE " + table + " DISABLE TRIGGER USER");
            }
            for (String statement : sql) {
                s.execute(statement);
            }
            for (String table : TABLES) {
                s.execute("ALTER TABLE " + table + " ENABLE TRIGGER USER");
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** Runs statements as they are. */
    static void execute(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
