package dev.tollgate.billing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.testkit.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A login role that does not own Tollgate's tables, with exactly the grants the migrations document (webhooks V2,
 * billing V3), and a small pool connecting as it: the service role an operator runs request code with. Closing it
 * closes the pool and drops the role.
 */
final class NonOwnerRole implements AutoCloseable {

    private final TestDatabase database;
    private final String name;
    private final HikariDataSource pool;

    private NonOwnerRole(TestDatabase database, String name, HikariDataSource pool) {
        this.database = database;
        this.name = name;
        this.pool = pool;
    }

    static NonOwnerRole create(TestDatabase database) throws SQLException {
        String name = "tollgate_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = "app-" + UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            // webhooks/V2__revoke_public_grants.sql
            s.execute("GRANT USAGE ON SCHEMA webhooks TO " + name);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA webhooks TO " + name);
            s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA webhooks TO " + name);
            s.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA webhooks TO " + name);
            // billing/V3__row_level_security_fails_closed.sql
            s.execute("GRANT USAGE ON SCHEMA billing TO " + name);
            s.execute("GRANT SELECT, INSERT, UPDATE ON billing.tenant_billing, billing.customers,"
                    + " billing.unresolved_events TO " + name);
            s.execute("GRANT SELECT, INSERT ON billing.audit_log TO " + name);
            s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA billing TO " + name);
            s.execute("GRANT EXECUTE ON FUNCTION billing.verify_billing_schema() TO " + name);
        }
        HikariConfig config = new HikariConfig();
        // the test server's URL may carry its own user=…: the role must come from the pool's settings
        config.setJdbcUrl(database.jdbcUrl().replaceAll("(?<=[?&])(user|password)=[^&]*&?", "").replaceAll("[?&]$", ""));
        config.setUsername(name);
        config.setPassword(password);
        config.setMaximumPoolSize(2); // few connections: the same ones serve every step, so a leaked scope shows
        config.setPoolName("non-owner");
        return new NonOwnerRole(database, name, new HikariDataSource(config));
    }

    /** @return the role's name */
    String name() {
        return name;
    }

    /** @return a pool connecting as the role */
    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() throws SQLException {
        pool.close();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP OWNED BY " + name);
            s.execute("DROP ROLE " + name);
        }
    }
}
