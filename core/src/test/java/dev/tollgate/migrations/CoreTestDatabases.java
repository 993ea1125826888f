package dev.tollgate.migrations;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL for core's tests, started on first use and stopped when the JVM exits, with a fresh
 * database per test (core cannot use testkit-postgres, which depends on it).
 */
public final class CoreTestDatabases {

    private static EmbeddedPostgres server;
    private static int databases;

    private CoreTestDatabases() {
    }

    /**
     * @return a new, empty database
     * @throws IOException when the server cannot start
     * @throws SQLException when the database cannot be created
     */
    public static synchronized DataSource fresh() throws IOException, SQLException {
        if (server == null) {
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // nothing more to do at exit
                }
            }, "core-test-postgres-stop"));
            server = started;
        }
        String name = "core_" + (++databases);
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return server.getDatabase("postgres", name);
    }
}
