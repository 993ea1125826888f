package dev.tollgate.health.contributors;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.tollgate.health.Health;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.internal.ContributorSlot;
import dev.tollgate.internal.BorrowedConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Checks that the database answers: borrows a connection, runs {@code SELECT 1}, and adds the pool's
 * statistics when the data source is a HikariCP pool ({@code pool.active}, {@code pool.idle},
 * {@code pool.total}, {@code pool.waiting}, {@code pool.max}). Register it under the name
 * {@code database} so {@code /health} shows {@code "database":"connected"}.
 *
 * <pre>{@code
 * registry.register("database", DatabaseHealthContributor.of(dataSource));
 * }</pre>
 */
public final class DatabaseHealthContributor implements HealthContributor {

    private final DataSource dataSource;
    private final int queryTimeoutSeconds;

    private DatabaseHealthContributor(DataSource dataSource, int queryTimeoutSeconds) {
        this.dataSource = dataSource;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /**
     * A contributor with a 2 second query timeout.
     *
     * @param dataSource any data source; HikariCP pools also report pool statistics
     * @return the contributor
     */
    public static DatabaseHealthContributor of(DataSource dataSource) {
        return of(dataSource, Duration.ofSeconds(2));
    }

    /**
     * A contributor with a query timeout.
     *
     * @param dataSource any data source; HikariCP pools also report pool statistics
     * @param queryTimeout the {@code SELECT 1} timeout, at least 1 second (JDBC counts whole seconds)
     * @return the contributor
     * @throws IllegalArgumentException if the timeout is under 1 second
     */
    public static DatabaseHealthContributor of(DataSource dataSource, Duration queryTimeout) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (queryTimeout.getSeconds() < 1) {
            throw new IllegalArgumentException("queryTimeout must be at least 1 s, but was " + queryTimeout);
        }
        return new DatabaseHealthContributor(dataSource, (int) Math.min(Integer.MAX_VALUE, queryTimeout.getSeconds()));
    }

    /** Borrows a connection and runs {@code SELECT 1}. */
    @Override
    public Health check() {
        Health health;
        // the network timeout bounds a database that hangs (a query timeout's cancel is not answered either)
        try (BorrowedConnection borrowed = BorrowedConnection.of(dataSource, Duration.ofSeconds(queryTimeoutSeconds));
             PreparedStatement select = borrowed.connection().prepareStatement("SELECT 1")) {
            Connection connection = borrowed.connection();
            select.setQueryTimeout(queryTimeoutSeconds);
            try (ResultSet rs = select.executeQuery()) {
                health = rs.next() && rs.getInt(1) == 1 ? Health.up() : Health.down("SELECT 1 returned no 1");
            }
            health = health.withDetail("database", connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
            health = Health.down("cannot reach the database" + state + ": " + ContributorSlot.describe(e));
        }
        return withPoolStatistics(health);
    }

    private Health withPoolStatistics(Health health) {
        if (dataSource instanceof HikariDataSource hikari) {
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            if (pool != null) {
                return health.withDetail("pool.active", pool.getActiveConnections())
                        .withDetail("pool.idle", pool.getIdleConnections())
                        .withDetail("pool.total", pool.getTotalConnections())
                        .withDetail("pool.waiting", pool.getThreadsAwaitingConnection())
                        .withDetail("pool.max", hikari.getMaximumPoolSize());
            }
        }
        return health;
    }

    @Override
    public String toString() {
        return "DatabaseHealthContributor[" + dataSource.getClass().getSimpleName() + "]";
    }
}
