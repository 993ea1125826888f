package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Connection pools to the local PostgreSQL server that {@code benchmarks/run.sh} starts. The server is
 * named by environment variables, which JMH's forked JVMs inherit:
 * {@value #URL_ENV} (default {@value #DEFAULT_URL}), {@value #USER_ENV} (default {@code postgres}) and
 * {@value #PASSWORD_ENV} (default empty; the script's server trusts local connections).
 */
public final class BenchmarkDatabase {

    /** Environment variable with the JDBC URL of the benchmark database. */
    public static final String URL_ENV = "TOLLGATE_BENCH_JDBC_URL";
    /** Environment variable with the user name. */
    public static final String USER_ENV = "TOLLGATE_BENCH_JDBC_USER";
    /** Environment variable with the password. */
    public static final String PASSWORD_ENV = "TOLLGATE_BENCH_JDBC_PASSWORD";
    /** Where run.sh's server listens, and the database it creates. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:55432/tollgate_bench";

    private BenchmarkDatabase() {
    }

    /**
     * Opens a HikariCP pool on the benchmark database, with every connection opened up front so that
     * connection set-up never falls into a measurement.
     *
     * @param name a pool name for diagnostics
     * @param size the number of connections (the benchmark's thread count)
     * @return the pool; close it in the benchmark's trial tear-down
     */
    public static HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(env(URL_ENV, DEFAULT_URL));
        config.setUsername(env(USER_ENV, "postgres"));
        config.setPassword(env(PASSWORD_ENV, ""));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(10_000);
        config.setPoolName("bench-" + name);
        return new HikariDataSource(config);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
