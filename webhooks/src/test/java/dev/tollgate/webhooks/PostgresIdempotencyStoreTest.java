package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the contract (in testkit) cannot say generically: transactions, SQL failures. */
@TollgatePostgres
class PostgresIdempotencyStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final PostgresIdempotencyStore store;

    PostgresIdempotencyStoreTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = PostgresIdempotencyStore.create(dataSource, clock);
    }

    @BeforeAll
    static void createEffectTable(DataSource dataSource) {
        TestDeliveries.execute(dataSource, "CREATE TABLE IF NOT EXISTS tx_effects (note text NOT NULL)");
    }

    private static void insertNote(Connection c, String note) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tx_effects (note) VALUES (?)")) {
            s.setString(1, note);
            s.executeUpdate();
        }
    }

    @Test
    @DisplayName("a duplicate claim inside the caller's transaction raises nothing and leaves the transaction usable")
    void claimInsideCallerTransaction() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insertNote(c, "before");
            ClaimResult first = store.claim(c, "stripe", "evt_tx_1", LEASE);
            assertTrue(first.isNew());
            assertEquals(ClaimResult.Status.IN_PROGRESS, store.claim(c, "stripe", "evt_tx_1", LEASE).status());
            assertTrue(store.complete(c, first));
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, store.claim(c, "stripe", "evt_tx_1", LEASE).status());
            insertNote(c, "after"); // would fail with "current transaction is aborted" after a unique violation
            c.commit();
        }
        assertEquals(2, TestDeliveries.count(dataSource, "SELECT count(*) FROM tx_effects WHERE note IN ('before', 'after')"));
        assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "evt_tx_1"));

        try (Connection c = dataSource.getConnection()) { // a later transaction sees the committed row as a duplicate
            c.setAutoCommit(false);
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, store.claim(c, "stripe", "evt_tx_1", LEASE).status());
            insertNote(c, "later");
            c.commit();
        }
        assertEquals(1, TestDeliveries.count(dataSource, "SELECT count(*) FROM tx_effects WHERE note = 'later'"));
    }

    @Test
    @DisplayName("a claim rolled back with the caller's transaction leaves no trace")
    void claimRollsBackWithTransaction() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertTrue(store.claim(c, "stripe", "evt_rolled_back", LEASE).isNew());
            c.rollback();
        }
        assertEquals(Optional.empty(), store.state("stripe", "evt_rolled_back"));
        assertTrue(store.claim("stripe", "evt_rolled_back", LEASE).isNew());
    }

    @Test
    @DisplayName("failing and dead-lettering inside the caller's transaction writes the dead letter atomically")
    void failInsideTransaction() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            ClaimResult claim = store.claim(c, "stripe", "evt_dead_tx", LEASE);
            assertEquals(FailureOutcome.DEAD_LETTERED, store.fail(c, claim, "boom", 1, clock.instant()));
            c.rollback();
        }
        assertEquals(Optional.empty(), store.state("stripe", "evt_dead_tx"));
        assertEquals(0, TestDeliveries.count(dataSource,
                "SELECT count(*) FROM webhooks.dead_letter_queue WHERE event_id = 'evt_dead_tx'"));
    }

    @Test
    @DisplayName("times are written from the store's clock: lease_until = clock + lease")
    void timesFromClock() {
        store.claim("stripe", "evt_clock", LEASE);
        assertEquals(1, TestDeliveries.count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_clock'"
                + " AND received_at = '2026-03-01T10:00:00Z' AND lease_until = '2026-03-01T10:00:30Z'"));
    }

    @Test
    @DisplayName("a pool that cannot connect is reported as UNAVAILABLE; a missing schema as STATEMENT_FAILED")
    void failuresAreTranslated() {
        PostgresIdempotencyStore down = PostgresIdempotencyStore.create(new UnreachableDataSource(), clock);
        IdempotencyStoreException e = assertThrows(IdempotencyStoreException.class,
                () -> down.claim("stripe", "evt_1", LEASE));
        assertEquals(IdempotencyStoreException.Reason.UNAVAILABLE, e.reason());
        assertFalse(e.getMessage().contains("evt_1"), e.getMessage());

        try (TestDatabase unmigrated = TestPostgres.shared().createDatabase()) {
            PostgresIdempotencyStore noSchema = PostgresIdempotencyStore.create(unmigrated.dataSource(), clock);
            IdempotencyStoreException missing = assertThrows(IdempotencyStoreException.class,
                    () -> noSchema.claim("stripe", "evt_1", LEASE));
            assertEquals(IdempotencyStoreException.Reason.STATEMENT_FAILED, missing.reason());
            assertTrue(missing.getMessage().contains("migrations"), missing.getMessage());
        }
    }

    /** A pool whose database cannot be reached, as HikariCP reports it. */
    private static final class UnreachableDataSource implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms.",
                    "08001");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return new PrintWriter(System.err);
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
