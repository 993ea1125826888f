package dev.tollgate.spring.migrations.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.migrations.MigrationTool;
import dev.tollgate.spring.migrations.SchemaToolApplicationTest;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An application with Flyway: Tollgate's modules migrate through Flyway, one history table each. */
class FlywayApplicationTest extends SchemaToolApplicationTest {

    @Override
    protected MigrationTool tool() {
        return MigrationTool.FLYWAY;
    }

    @Override
    protected List<String> toolProperties() {
        return List.of();
    }

    @Override
    protected String applicationsOwnChange() {
        return "V1__app.sql";
    }

    @Override
    protected List<String> applicationHistory(DataSource dataSource) throws SQLException {
        return rows(dataSource, "SELECT script FROM public.flyway_schema_history ORDER BY installed_rank");
    }

    @Override
    protected long tollgateFilesRecorded(DataSource dataSource) throws SQLException {
        long files = 0;
        for (String table : rows(dataSource, "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'tollgate' AND table_name LIKE 'flyway\\_%\\_history'")) {
            files += count(dataSource, "SELECT count(*) FROM tollgate." + table + " WHERE success AND type = 'SQL'");
        }
        return files;
    }

    @Override
    protected String editWebhooksV1() {
        return "UPDATE tollgate.flyway_webhooks_history SET checksum = checksum + 1 WHERE script = 'V1__webhook_events.sql'";
    }

    @Test
    void theApplicationsOwnMigrationStrategyStillRunsItsFlyway() throws SQLException {
        StrategyConfiguration.CALLS.set(0);
        try (TestDatabase database = TestPostgres.shared().createDatabase();
             ConfigurableApplicationContext app = new SpringApplicationBuilder(
                     dev.tollgate.spring.runbook.RunbookApplication.class, StrategyConfiguration.class)
                     .properties("server.port=0", "spring.datasource.url=" + database.jdbcUrl(),
                             "spring.datasource.username=" + database.user(),
                             "spring.datasource.password=" + database.password(),
                             "tollgate.webhooks.stripe.secret=" + STRIPE_SECRET).run()) {
            assertEquals(1, StrategyConfiguration.CALLS.get());
            assertEquals(List.of("V1__app.sql"), applicationHistory(database.dataSource()));
        }
    }

    /** An application that runs its Flyway through its own strategy. */
    @Configuration(proxyBeanMethods = false)
    static class StrategyConfiguration {

        static final AtomicInteger CALLS = new AtomicInteger();

        @Bean
        FlywayMigrationStrategy countingStrategy() {
            return flyway -> {
                CALLS.incrementAndGet();
                flyway.migrate();
            };
        }
    }
}
