package dev.tollgate.testkit;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import javax.sql.DataSource;

/** Runs the contract against {@link PostgresIdempotencyStore} on a real PostgreSQL with the migrations applied. */
@TollgatePostgres
class PostgresIdempotencyStoreContractTest extends IdempotencyStoreContract {

    private final DataSource dataSource;

    PostgresIdempotencyStoreContractTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    protected IdempotencyStore createStore(Clock clock) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE webhooks.dead_letter_queue, webhooks.events");
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the webhooks tables", e);
        }
        return PostgresIdempotencyStore.create(dataSource, clock);
    }
}
