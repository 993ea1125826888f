package dev.tollgate.health.micrometer.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.EventFilter;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.WebhookEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The backlog gauges against the real webhooks schema, partitioned (a new install) and unpartitioned (a database
 * that held events before V3): values for a seeded table with a fixed clock, refreshed once per interval, open dead
 * letters going down after a re-drive, and a query that never reads the table sequentially.
 */
class MicrometerWebhookBacklogTest {

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private TestDatabase db;
    private DataSource dataSource;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void database() {
        db = TestPostgres.shared().createDatabase().migrate();
        dataSource = db.dataSource();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private MicrometerWebhookBacklog bind(DataSource ds) {
        return MicrometerWebhookBacklog.builder(ds).clock(clock).refreshEvery(Duration.ofSeconds(30)).build()
                .bindTo(registry);
    }

    private double pendingAge() {
        return registry.get(TollgateMeters.WEBHOOK_OLDEST_EVENT_AGE).tag(TollgateMeters.TAG_STATE, "pending").gauge()
                .value();
    }

    private double failedAge() {
        return registry.get(TollgateMeters.WEBHOOK_OLDEST_EVENT_AGE).tag(TollgateMeters.TAG_STATE, "failed").gauge()
                .value();
    }

    private double openDeadLetters() {
        return registry.get(TollgateMeters.WEBHOOK_DEAD_LETTERS_OPEN).gauge().value();
    }

    @Test
    @DisplayName("an empty backlog: ages 0, no open dead letter")
    void empty() {
        bind(dataSource);
        assertEquals(0, pendingAge());
        assertEquals(0, failedAge());
        assertEquals(0, openDeadLetters());
    }

    @Test
    @DisplayName("a seeded table: the oldest pending and failed ages by the clock, open dead letters only")
    void seededPartitioned() throws SQLException {
        seed(dataSource);
        bind(dataSource);
        assertSeeded();
    }

    @Test
    @DisplayName("the same values on a table that held events before V3 and stayed unpartitioned")
    void seededUnpartitioned() throws Exception {
        try (TestDatabase old = TestPostgres.shared().createDatabase()) {
            DataSource ds = old.dataSource();
            execute(ds, read("db/tollgate/webhooks/V1__webhook_events.sql"));
            execute(ds, read("db/tollgate/webhooks/V2__revoke_public_grants.sql"));
            insert(ds, "before_v3", "processed", clock.instant().minus(Duration.ofDays(3)));
            old.migrate();
            assertEquals(0, count(ds, "SELECT count(*) FROM pg_partitioned_table"), "V3 keeps a table with rows whole");
            seed(ds);
            bind(ds);
            assertSeeded();
        }
    }

    private void assertSeeded() {
        assertEquals(600, pendingAge(), 1e-9, "p_old was received 10 minutes ago");
        assertEquals(3600, failedAge(), 1e-9, "f_old was received an hour ago");
        assertEquals(2, openDeadLetters(), "d1 and d2; d3's letter was re-driven");
    }

    @Test
    @DisplayName("values are read once per interval, and open dead letters go down after a re-drive")
    void refreshedPerIntervalAndAfterARedrive() throws SQLException {
        seed(dataSource);
        bind(dataSource);
        assertEquals(2, openDeadLetters());
        assertEquals(3600, failedAge(), 1e-9);

        WebhookEvents events = WebhookEvents.create(dataSource, clock);
        assertTrue(events.redrive("stripe", "d1"));
        clock.advance(Duration.ofSeconds(29));
        assertEquals(2, openDeadLetters(), "within the interval: the cached value");
        assertEquals(3629, failedAge(), 1e-9, "ages still follow the clock from the cached oldest time");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, openDeadLetters(), "read again after 30 s: d1 is re-driven");
        assertEquals(2 * 3600 + 30, pendingAge(), 1e-9, "d1 (received 2 h ago) waits again as pending");

        assertEquals(1, events.redrive(EventFilter.builder().state(EventState.DEAD).build()));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(0, openDeadLetters());
    }

    @Test
    @DisplayName("a database without the schema: NaN, then values once it is there")
    void unreadableIsNaN() throws SQLException {
        try (TestDatabase bare = TestPostgres.shared().createDatabase()) {
            bind(bare.dataSource());
            assertTrue(Double.isNaN(pendingAge()));
            assertTrue(Double.isNaN(openDeadLetters()));
            bare.migrate();
            clock.advance(Duration.ofSeconds(30));
            assertEquals(0, openDeadLetters());
        }
    }

    @Test
    @DisplayName("the query reads indexes only, on both shapes: its cost follows the backlog, not the table")
    void indexesOnly() throws Exception {
        assertIndexesOnly(dataSource);
        try (TestDatabase old = TestPostgres.shared().createDatabase()) {
            DataSource ds = old.dataSource();
            execute(ds, read("db/tollgate/webhooks/V1__webhook_events.sql"));
            execute(ds, read("db/tollgate/webhooks/V2__revoke_public_grants.sql"));
            insert(ds, "before_v3", "processed", clock.instant());
            old.migrate();
            assertIndexesOnly(ds);
        }
    }

    private static void assertIndexesOnly(DataSource ds) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL enable_seqscan = off");
            try (ResultSet rs = s.executeQuery("EXPLAIN " + MicrometerWebhookBacklog.SQL)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            c.rollback();
        }
        assertFalse(plan.toString().contains("Seq Scan"), plan.toString());
        assertTrue(plan.toString().contains("dead_letter_queue_open_idx"), plan.toString());
    }

    @Test
    @DisplayName("the series the dashboard and the alert rules query")
    void prometheusSeries() throws SQLException {
        seed(dataSource);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerWebhookBacklog.builder(dataSource).clock(clock).build().bindTo(prometheus);
        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("tollgate_webhook_oldest_event_age_seconds{state=\"pending\"} 600.0"), scrape);
        assertTrue(scrape.contains("tollgate_webhook_oldest_event_age_seconds{state=\"failed\"} 3600.0"), scrape);
        assertTrue(scrape.contains("tollgate_webhook_dead_letters_open 2.0"), scrape);
        prometheus.close();
    }

    @Test
    void buildReportsEveryProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MicrometerWebhookBacklog.builder(dataSource).refreshEvery(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("clock is required") && e.getMessage().contains("refreshEvery must be"
                + " positive, but was PT0S"), e.getMessage());
        assertThrows(NullPointerException.class, () -> MicrometerWebhookBacklog.builder(null));
    }

    /** Pending received 10 min and 2 min ago, failed 1 h ago, dead d1 (2 h) and d2 open, d3's letter re-driven. */
    private void seed(DataSource ds) throws SQLException {
        Instant now = clock.instant();
        insert(ds, "p_old", "pending", now.minus(Duration.ofMinutes(10)));
        insert(ds, "p_new", "pending", now.minus(Duration.ofMinutes(2)));
        insert(ds, "f_old", "failed", now.minus(Duration.ofHours(1)));
        insert(ds, "done", "processed", now.minus(Duration.ofDays(30)));
        insert(ds, "d1", "dead", now.minus(Duration.ofHours(2)));
        deadLetter(ds, "d1", null);
        insert(ds, "d2", "dead", now.minus(Duration.ofMinutes(5)));
        deadLetter(ds, "d2", null);
        insert(ds, "d3", "processed", now.minus(Duration.ofHours(3)));
        deadLetter(ds, "d3", now.minus(Duration.ofHours(1)));
    }

    private static void insert(DataSource ds, String id, String state, Instant received) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, next_attempt_at,"
                        + " received_at, processed_at) VALUES ('stripe', ?, 'invoice.paid', ?, 1, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, state);
            s.setTimestamp(3, Timestamp.from(received));
            s.setTimestamp(4, Timestamp.from(received));
            s.setTimestamp(5, "processed".equals(state) ? Timestamp.from(received) : null);
            s.executeUpdate();
        }
    }

    private static void deadLetter(DataSource ds, String id, @Nullable Instant redriven) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.dead_letter_queue (provider, event_id, event_type, attempts, dead_at, redriven_at)"
                        + " VALUES ('stripe', ?, 'invoice.paid', 5, now(), ?)")) {
            s.setString(1, id);
            s.setTimestamp(2, redriven == null ? null : Timestamp.from(redriven));
            s.executeUpdate();
        }
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = MicrometerWebhookBacklogTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
