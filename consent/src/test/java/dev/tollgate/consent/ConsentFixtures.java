package dev.tollgate.consent;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;

/** Policies and SQL shortcuts shared by the consent tests. */
final class ConsentFixtures {

    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private ConsentFixtures() {
    }

    /** Purposes necessary, analytics, marketing. */
    static ConsentPolicy policy(String version, Instant effective) {
        return ConsentPolicy.builder().version(version).effectiveAt(effective)
                .purpose(Purpose.necessary("necessary", "Sign-in, security, load balancing"))
                .purpose(Purpose.optional("analytics", "Anonymous usage statistics"))
                .purpose(Purpose.optional("marketing", "Newsletters and personalised offers"))
                .shownText("We use cookies. Version " + version + ".")
                .build();
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String string(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static final java.util.List<String> TABLES = java.util.List.of("consent.policies", "consent.records");

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
