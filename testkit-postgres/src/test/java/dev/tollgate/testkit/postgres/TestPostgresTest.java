package dev.tollgate.testkit.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class TestPostgresTest {

    @Test
    void injectsAWorkingDataSource(DataSource dataSource) throws SQLException {
        assertEquals(1, selectOne(dataSource));
    }

    @Test
    void sameDatabaseForTheWholeClass(TestDatabase a, TestDatabase b) {
        assertEquals(a.name(), b.name());
    }

    @Test
    void eachCreatedDatabaseIsFresh() {
        try (TestDatabase one = TestPostgres.shared().createDatabase();
             TestDatabase two = TestPostgres.shared().createDatabase()) {
            assertNotEquals(one.name(), two.name());
        }
    }

    @Test
    void sharedServerCannotBeStopped() {
        assertThrows(IllegalStateException.class, () -> TestPostgres.shared().stop());
    }

    @Test
    void dedicatedServerStopsAndComesBackWithItsData() throws SQLException {
        try (TestPostgres server = TestPostgres.startEmbedded(); TestDatabase db = server.createDatabase()) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
            }
            server.stop();
            assertThrows(SQLException.class, () -> selectOne(db.dataSource()));
            server.start();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT x FROM kept")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    private static int selectOne(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
