package dev.tollgate.health.contributors;

import dev.tollgate.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.Health;
import dev.tollgate.health.Status;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The backlog contributor against the real webhooks schema, with rows written as the pipeline writes them. */
@TollgatePostgres
class WebhookBacklogHealthContributorTest {

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");

    @BeforeEach
    void empty(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM webhooks.dead_letter_queue");
            s.execute("DELETE FROM webhooks.events");
        }
    }

    private WebhookBacklogHealthContributor contributor(DataSource dataSource) {
        return WebhookBacklogHealthContributor.builder(dataSource).clock(clock)
                .maxDeadLetters(1).maxPendingAge(Duration.ofMinutes(10)).build();
    }

    @Test
    void anEmptyBacklogIsUp(DataSource dataSource) {
        Health health = contributor(dataSource).check();
        assertEquals(Status.UP, health.status());
        assertEquals(0L, health.details().get("stuck_processing"));
        assertEquals(0L, health.details().get("dead_letters"));
        assertEquals(0L, health.details().get("oldest_waiting_age_seconds"));
    }

    @Test
    void processingPastTheLeaseIsStuckButALiveLeaseIsNot(DataSource dataSource) throws SQLException {
        Instant now = clock.instant();
        insert(dataSource, "live", "processing", now.plusSeconds(60), now);
        assertEquals(Status.UP, contributor(dataSource).check().status());
        clock.advance(Duration.ofSeconds(61));
        Health health = contributor(dataSource).check();
        assertEquals(Status.DOWN, health.status());
        assertEquals(1L, health.details().get("stuck_processing"));
        assertTrue(health.reason().contains("1 event(s) stuck processing past their lease"), health.reason());
        WebhookBacklogHealthContributor tolerant = WebhookBacklogHealthContributor.builder(dataSource).clock(clock)
                .stuckAfter(Duration.ofMinutes(5)).build();
        assertEquals(Status.UP, tolerant.check().status());
    }

    @Test
    void deadLettersOverTheThresholdAreDownAndRedrivenOnesDoNotCount(DataSource dataSource) throws SQLException {
        Instant now = clock.instant();
        insert(dataSource, "d1", "dead", null, now);
        deadLetter(dataSource, "d1", null);
        assertEquals(Status.UP, contributor(dataSource).check().status(), "1 is within the limit of 1");
        insert(dataSource, "d2", "dead", null, now);
        deadLetter(dataSource, "d2", null);
        insert(dataSource, "d3", "processed", null, now);
        deadLetter(dataSource, "d3", now);
        Health health = contributor(dataSource).check();
        assertEquals(Status.DOWN, health.status());
        assertEquals(2L, health.details().get("dead_letters"));
        assertTrue(health.reason().contains("2 open dead letter(s) (limit 1)"), health.reason());
    }

    @Test
    void anOldWaitingEventIsDown(DataSource dataSource) throws SQLException {
        insert(dataSource, "p1", "pending", null, clock.instant());
        insert(dataSource, "f1", "failed", null, clock.instant().plusSeconds(30));
        insert(dataSource, "done", "processed", null, clock.instant().minus(Duration.ofDays(30)));
        clock.advance(Duration.ofMinutes(10));
        Health within = contributor(dataSource).check();
        assertEquals(Status.UP, within.status());
        assertEquals(2L, within.details().get("waiting"));
        assertEquals(600L, within.details().get("oldest_waiting_age_seconds"));
        clock.advance(Duration.ofSeconds(1));
        Health health = contributor(dataSource).check();
        assertEquals(Status.DOWN, health.status());
        assertTrue(health.reason().contains("oldest waiting event is 601 s old (limit 600 s)"), health.reason());
    }

    @Test
    void everyProblemIsNamedAtOnce(DataSource dataSource) throws SQLException {
        insert(dataSource, "s", "processing", clock.instant(), clock.instant());
        insert(dataSource, "p", "pending", null, clock.instant());
        for (String id : new String[] {"a", "b"}) {
            insert(dataSource, id, "dead", null, clock.instant());
            deadLetter(dataSource, id, null);
        }
        clock.advance(Duration.ofHours(1));
        String reason = contributor(dataSource).check().reason();
        assertTrue(reason.contains("stuck") && reason.contains("dead letter") && reason.contains("oldest"), reason);
    }

    @Test
    void aDatabaseWithoutTheSchemaSaysToMigrate() {
        try (TestDatabase bare = TestPostgres.shared().createDatabase()) {
            Health health = WebhookBacklogHealthContributor.builder(bare.dataSource()).clock(clock).build().check();
            assertEquals(Status.DOWN, health.status());
            assertEquals("webhooks.events does not exist: apply the Tollgate migrations", health.reason());
        }
    }

    @Test
    void buildReportsEveryProblem(DataSource dataSource) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookBacklogHealthContributor.builder(dataSource).maxStuck(-1).maxDeadLetters(-2)
                        .maxPendingAge(Duration.ZERO).stuckAfter(Duration.ofSeconds(-1)).build());
        for (String part : new String[] {"clock is required", "maxStuck", "maxDeadLetters", "maxPendingAge",
                "stuckAfter"}) {
            assertTrue(e.getMessage().contains(part), part + " in " + e.getMessage());
        }
    }

    private static void insert(DataSource dataSource, String id, String state, Instant leaseUntil, Instant received)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, lease_token, lease_until,"
                        + " next_attempt_at, received_at) VALUES ('stripe', ?, 'invoice.paid', ?, 1, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, state);
            s.setObject(3, leaseUntil == null ? null : UUID.randomUUID());
            s.setTimestamp(4, leaseUntil == null ? null : Timestamp.from(leaseUntil));
            s.setTimestamp(5, Timestamp.from(received));
            s.setTimestamp(6, Timestamp.from(received));
            s.executeUpdate();
        }
    }

    private static void deadLetter(DataSource dataSource, String id, Instant redriven) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.dead_letter_queue (provider, event_id, event_type, attempts, dead_at, redriven_at)"
                        + " VALUES ('stripe', ?, 'invoice.paid', 5, now(), ?)")) {
            s.setString(1, id);
            s.setTimestamp(2, redriven == null ? null : Timestamp.from(redriven));
            s.executeUpdate();
        }
    }
}
