package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The transactional pipeline's one-statement claim: what it writes, and what it leaves alone. */
@TollgatePostgres
class ClaimProcessedTest {

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final PostgresIdempotencyStore store;

    ClaimProcessedTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = PostgresIdempotencyStore.create(dataSource, clock);
    }

    private static WebhookEvent event(String id) {
        return new WebhookEvent("stripe", id, "invoice.paid", null, "{}".getBytes(StandardCharsets.UTF_8),
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    @DisplayName("a new event is processed when the transaction commits, and absent when it rolls back")
    void commitsWithTheCaller() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertTrue(store.claimProcessed(c, event("evt_cp_rollback")).isNew());
            c.rollback();
            assertTrue(store.claimProcessed(c, event("evt_cp_commit")).isNew());
            c.commit();
        }
        assertEquals(Optional.empty(), store.state("stripe", "evt_cp_rollback"));
        assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "evt_cp_commit"));
    }

    @Test
    @DisplayName("a duplicate answers already_processed without writing a new row version")
    void duplicateWritesNothing() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            store.claimProcessed(c, event("evt_cp_dup"));
            c.commit();
            String before = rowVersion(c, "evt_cp_dup");
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, store.claimProcessed(c, event("evt_cp_dup")).status());
            c.commit();
            assertEquals(before, rowVersion(c, "evt_cp_dup"), "the duplicate did not rewrite the row");
        }
    }

    @Test
    @DisplayName("an event held by a worker's unexpired lease is in progress; after expiry it is claimed")
    void respectsLeases() throws SQLException {
        ClaimResult worker = store.claim("stripe", "evt_cp_lease", Duration.ofSeconds(30));
        assertTrue(worker.isNew());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertEquals(ClaimResult.Status.IN_PROGRESS, store.claimProcessed(c, event("evt_cp_lease")).status());
            c.commit();
            clock.advance(Duration.ofSeconds(31));
            ClaimResult taken = store.claimProcessed(c, event("evt_cp_lease"));
            assertTrue(taken.isNew());
            assertEquals(2, taken.attempt());
            c.commit();
        }
        assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "evt_cp_lease"));
        assertTrue(!store.complete(worker), "the dead worker's late completion is refused");
    }

    @Test
    @DisplayName("auto-commit mode is refused: there would be no transaction to hold the effect")
    void refusesAutoCommit() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            SQLException e = assertThrows(SQLException.class, () -> store.claimProcessed(c, event("evt_cp_auto")));
            assertTrue(e.getMessage().contains("setAutoCommit(false)"), e.getMessage());
        }
        assertEquals(Optional.empty(), store.state("stripe", "evt_cp_auto"));
    }

    private static String rowVersion(Connection c, String eventId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT ctid::text || '/' || xmin::text FROM webhooks.events WHERE provider = 'stripe' AND event_id = ?")) {
            s.setString(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String version = rs.getString(1);
                c.commit();
                return version;
            }
        }
    }
}
