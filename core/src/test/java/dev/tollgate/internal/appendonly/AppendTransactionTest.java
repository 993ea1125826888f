package dev.tollgate.internal.appendonly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.migrations.CoreTestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The append transaction on a real PostgreSQL: commit, rollback, and the connection handed back as it was lent. */
class AppendTransactionTest {

    private DataSource db;

    @BeforeEach
    void freshDatabase() throws Exception {
        db = CoreTestDatabases.fresh();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE rows (n int PRIMARY KEY)");
        }
    }

    @Test
    void runsAtReadCommittedWithoutAutoCommitThenCommitsAndRestoresTheConnection() throws Exception {
        try (Connection c = db.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            int result = AppendTransaction.inReadCommitted(c, tx -> {
                assertSame(c, tx);
                assertFalse(tx.getAutoCommit());
                assertEquals(Connection.TRANSACTION_READ_COMMITTED, tx.getTransactionIsolation());
                try (Statement s = tx.createStatement()) {
                    return s.executeUpdate("INSERT INTO rows VALUES (1), (2)");
                }
            });
            assertEquals(2, result);
            assertTrue(c.getAutoCommit());
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
        }
        assertEquals(2, count());
    }

    @Test
    void aFailingStatementRollsBackTheWholeAppendAndIsRethrown() throws Exception {
        try (Connection c = db.getConnection()) {
            SQLException thrown = assertThrows(SQLException.class, () -> AppendTransaction.inReadCommitted(c, tx -> {
                try (Statement s = tx.createStatement()) {
                    s.executeUpdate("INSERT INTO rows VALUES (1)");
                    return s.executeUpdate("INSERT INTO rows VALUES (1)"); // duplicate key
                }
            }));
            assertEquals("23505", thrown.getSQLState());
            assertTrue(c.getAutoCommit());
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
        }
        assertEquals(0, count());
    }

    @Test
    void aRuntimeExceptionRollsBackToo() throws Exception {
        IllegalStateException refused = new IllegalStateException("refused after the insert");
        try (Connection c = db.getConnection()) {
            assertSame(refused, assertThrows(IllegalStateException.class,
                    () -> AppendTransaction.inReadCommitted(c, tx -> {
                        try (Statement s = tx.createStatement()) {
                            s.executeUpdate("INSERT INTO rows VALUES (1)");
                        }
                        throw refused;
                    })));
            assertTrue(c.getAutoCommit());
        }
        assertEquals(0, count());
    }

    private int count() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM rows")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
