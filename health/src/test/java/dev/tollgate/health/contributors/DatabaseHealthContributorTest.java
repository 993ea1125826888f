package dev.tollgate.health.contributors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.Health;
import dev.tollgate.health.Status;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

@TollgatePostgres
class DatabaseHealthContributorTest {

    @Test
    void upWithHikariPoolStatistics(DataSource dataSource) {
        Health health = DatabaseHealthContributor.of(dataSource).check();
        assertEquals(Status.UP, health.status(), health.details().toString());
        assertEquals("PostgreSQL", health.details().get("database"));
        assertEquals(10, health.details().get("pool.max"));
        assertTrue((Integer) health.details().get("pool.total") >= 1);
        assertEquals(0, health.details().get("pool.waiting"));
    }

    @Test
    void upWithAPlainDataSourceWithoutPoolStatistics(TestDatabase database) {
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setUrl(database.jdbcUrl());
        plain.setUser(database.user());
        plain.setPassword(database.password());
        Health health = DatabaseHealthContributor.of(plain).check();
        assertEquals(Status.UP, health.status());
        assertFalse(health.details().containsKey("pool.total"));
    }

    @Test
    void downWhenNothingListensAndThePasswordNeverShows() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
        nowhere.setUser("app");
        nowhere.setPassword("pw-must-not-leak-9876");
        Health health = DatabaseHealthContributor.of(nowhere).check();
        assertEquals(Status.DOWN, health.status());
        assertTrue(health.reason().startsWith("cannot reach the database (SQLState 08001)"), health.reason());
        assertFalse(health.toString().contains("pw-must-not-leak"));
    }

    @Test
    void queryTimeoutMustBeAtLeastOneSecond(DataSource dataSource) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseHealthContributor.of(dataSource, Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("but was PT0.5S"), e.getMessage());
    }
}
