package dev.tollgate.testkit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.migrations.SchemaMigrator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A freshly created PostgreSQL database for tests, with a connection pool. Create one with
 * {@link TestPostgres#createDatabase()}; close it to close its pools and drop the database.
 */
public final class TestDatabase implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final TestPostgres server;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final HikariDataSource dataSource;

    TestDatabase(TestPostgres server, String name, String jdbcUrl, String user, String password) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.dataSource = newPool(10);
    }

    /** @return the database name */
    public String name() {
        return name;
    }

    /** @return the JDBC URL of this database */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the user name to connect with */
    public String user() {
        return user;
    }

    /** @return the password to connect with */
    public String password() {
        return password;
    }

    /** @return the server this database lives on */
    public TestPostgres server() {
        return server;
    }

    /** @return this database's default pool (HikariCP, at most 10 connections) */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Opens another, independent connection pool on this database, as a second replica of a service
     * would have. It is closed with this database.
     *
     * @param maximumPoolSize the most connections the pool opens
     * @return the new pool
     */
    public synchronized HikariDataSource newPool(int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("tollgate-test-" + name + "-" + POOLS.incrementAndGet());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /**
     * Applies every Tollgate migration found on the class path.
     *
     * @return this database
     */
    public TestDatabase migrate() {
        SchemaMigrator.forAllModules().migrate(dataSource);
        return this;
    }

    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        server.dropDatabase(name);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server + "]";
    }
}
