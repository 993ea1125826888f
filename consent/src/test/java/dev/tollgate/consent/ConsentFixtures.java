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

    /** Runs statements as a superuser with triggers off, as someone with direct database access could. */
    static void tamper(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL session_replication_role = replica");
            for (String statement : sql) {
                s.execute(statement);
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }
}
