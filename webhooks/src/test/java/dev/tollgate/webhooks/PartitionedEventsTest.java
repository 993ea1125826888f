package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.internal.EventsTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code webhooks.events} partitioned by the provider's creation day (migration V3): one row per event across
 * partitions, retention by dropping whole days, the one-time conversion of a table that held events, and a service
 * role that owns nothing.
 */
class PartitionedEventsTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Instant DAY_ONE = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant DAY_TWO = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant DAY_NINE = Instant.parse("2026-03-09T10:00:00Z");

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private TestDatabase db;
    private DataSource dataSource;
    private PostgresIdempotencyStore store;

    @BeforeEach
    void database() {
        db = TestPostgres.shared().createDatabase().migrate();
        dataSource = db.dataSource();
        store = PostgresIdempotencyStore.create(dataSource, clock);
        assertEquals(0, store.purge(Instant.EPOCH), "removes nothing; makes the partitions of 03-01 to 03-08");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static WebhookEvent event(String id, Instant created) {
        byte[] body = ("{\"id\":\"" + id + "\",\"object\":\"event\",\"created\":" + created.getEpochSecond()
                + ",\"type\":\"invoice.paid\"}").getBytes(StandardCharsets.UTF_8);
        return new WebhookEvent("stripe", id, "invoice.paid", created, body, JsonNodeFactory.instance.objectNode());
    }

    private String partitionOf(String eventId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT tableoid::regclass::text FROM webhooks.events WHERE event_id = ?")) {
            s.setString(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean exists(String relation) {
        return count(dataSource, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'webhooks' AND c.relname = '" + relation + "'") == 1;
    }

    @Test
    @DisplayName("an event lives in the partition of the day its provider created it; redeliveries find that row")
    void oneRowPerEventAcrossPartitions() {
        WebhookEvent event = event("evt_p1", DAY_ONE);
        ClaimResult first = store.claim(event, Duration.ofDays(3));
        assertTrue(first.isNew());
        assertEquals("webhooks.events_p20260301", partitionOf("evt_p1"));
        assertEquals(Optional.of(LocalDate.parse("2026-03-01")), EventsTable.dayOf(first.leaseToken()));

        clock.advance(Duration.ofDays(2)); // redelivered two days later: same creation day, same row
        assertEquals(ClaimResult.Status.IN_PROGRESS, store.claim(event, LEASE).status());
        clock.advance(Duration.ofDays(1));
        ClaimResult again = store.claim(event, LEASE);
        assertTrue(again.isNew(), "the expired lease is taken over in the same row");
        assertTrue(store.complete(again));
        assertFalse(store.complete(first), "the first holder lost its lease");
        assertEquals(ClaimResult.Status.ALREADY_PROCESSED, store.claim(event, LEASE).status());
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.events WHERE event_id = 'evt_p1'"));
        assertEquals(2, count(dataSource, "SELECT attempts FROM webhooks.events WHERE event_id = 'evt_p1'"));
    }

    @Test
    @DisplayName("20 concurrent deliveries of one event, on a day with a partition and on one without: one claim each")
    void concurrentClaims() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            for (WebhookEvent event : List.of(event("evt_race", DAY_TWO), event("evt_race_default", DAY_NINE))) {
                List<Callable<ClaimResult>> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(() -> store.claim(event, LEASE));
                }
                int fresh = 0;
                for (Future<ClaimResult> f : pool.invokeAll(calls)) {
                    fresh += f.get().isNew() ? 1 : 0;
                }
                assertEquals(1, fresh, event.id());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, count(dataSource, "SELECT count(*) FROM webhooks.events"));
        assertEquals("webhooks.events_p20260302", partitionOf("evt_race"));
        assertEquals("webhooks.events_default", partitionOf("evt_race_default"), "03-09 has no partition yet");
    }

    @Test
    @DisplayName("an event claimed by key alone keeps its row: a later claim with its payload finds it")
    void keyFirstThenPayload() {
        ClaimResult byKey = store.claim("stripe", "evt_k", LEASE);
        assertTrue(byKey.isNew());
        assertEquals("webhooks.events_p19700101", partitionOf("evt_k"));
        assertEquals(ClaimResult.Status.IN_PROGRESS, store.claim(event("evt_k", DAY_ONE), LEASE).status());
        assertTrue(store.complete(byKey));
        assertEquals(ClaimResult.Status.ALREADY_PROCESSED, store.claim(event("evt_k", DAY_ONE), LEASE).status());

        ClaimResult dated = store.claim(event("evt_k2", DAY_ONE), LEASE);
        assertEquals(ClaimResult.Status.IN_PROGRESS, store.claim("stripe", "evt_k2", LEASE).status(),
                "a claim by key finds the dated row");
        assertEquals(FailureOutcome.DEAD_LETTERED, store.fail(dated, "boom", 1, clock.instant()));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.dead_letter_queue"
                + " WHERE event_id = 'evt_k2' AND event_day = DATE '2026-03-01'"));
        assertEquals(2, count(dataSource, "SELECT count(*) FROM webhooks.events"));
    }

    @Test
    @DisplayName("lease tokens name their day, in Java and in SQL alike")
    void leaseTokensNameTheirDay() {
        LocalDate day = LocalDate.parse("2026-12-04");
        UUID token = EventsTable.newLeaseToken(day);
        assertEquals(8, token.version());
        assertEquals(2, token.variant());
        assertEquals(Optional.of(day), EventsTable.dayOf(token));
        assertEquals(Optional.empty(), EventsTable.dayOf(UUID.randomUUID()));
        assertNotEquals(token, EventsTable.newLeaseToken(day));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT webhooks.new_lease_token(DATE '2026-12-04'),"
                     + " webhooks.new_lease_token(NULL)")) {
            rs.next();
            UUID fromSql = rs.getObject(1, UUID.class);
            assertEquals(Optional.of(day), EventsTable.dayOf(fromSql));
            assertEquals(2, fromSql.variant());
            assertEquals(Optional.empty(), EventsTable.dayOf(rs.getObject(2, UUID.class)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("retention drops a day whose events were all processed before the cut-off, and keeps every other row")
    void retentionDropsWholeDays() {
        for (int i = 0; i < 5; i++) {
            store.complete(store.claim(event("evt_old_" + i, DAY_ONE), LEASE));
        }
        ClaimResult redriven = store.claim(event("evt_old_redriven", DAY_ONE), LEASE);
        store.fail(redriven, "boom", 1, clock.instant());
        assertTrue(store.redrive("stripe", "evt_old_redriven"));
        store.complete(store.claim(event("evt_old_redriven", DAY_ONE), LEASE));
        store.complete(store.claim(event("evt_kept_done", DAY_TWO), LEASE));
        store.fail(store.claim(event("evt_kept_dead", DAY_TWO), LEASE), "boom", 1, clock.instant());
        ClaimResult late = store.claim(event("evt_late", DAY_TWO), LEASE);
        clock.advance(Duration.ofDays(8)); // 2026-03-09T12:00Z
        store.complete(store.claim(event("evt_recent", DAY_NINE), LEASE));
        assertTrue(store.complete(late), "day two: processed only now, after the cut-off below");

        assertEquals("webhooks.events_default", partitionOf("evt_recent"), "03-09 was not made ahead yet");
        assertEquals(7, store.purge(clock.instant().minus(Duration.ofDays(1))),
                "day one (6 rows) as a whole, and day two's one old processed row");
        assertFalse(exists("events_p20260301"), "day one dropped as a whole");
        assertFalse(exists("events_p20260305"), "empty past days too");
        assertEquals(0, count(dataSource, "SELECT count(*) FROM webhooks.dead_letter_queue"
                + " WHERE event_id = 'evt_old_redriven'"), "its re-driven dead letter went with it");
        assertTrue(exists("events_p20260302"), "day two holds a dead event and a recent one: kept");
        assertEquals(Optional.of(EventState.DEAD), store.state("stripe", "evt_kept_dead"));
        assertEquals(Optional.empty(), store.state("stripe", "evt_kept_done"));
        assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "evt_late"));
        assertTrue(exists("events_p20260310") && exists("events_p20260316"), "the next days are made ahead");
        assertFalse(exists("events_p20260309"), "today stays in the default partition, which holds one of its rows");

        clock.advance(Duration.ofDays(2)); // 2026-03-11T12:00Z
        assertEquals(2, store.purge(clock.instant().minus(Duration.ofDays(1))),
                "evt_late in day two and evt_recent in the default partition, row by row");
        assertEquals(Optional.empty(), store.state("stripe", "evt_recent"));
        assertTrue(exists("events_p20260302"));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM webhooks.dead_letter_queue"
                + " WHERE event_id = 'evt_kept_dead' AND redriven_at IS NULL"));

        // a provider re-delivering a dropped day's event: as after a DELETE purge, it is new again
        assertTrue(store.claim(event("evt_old_0", DAY_ONE), LEASE).isNew());
        assertEquals("webhooks.events_default", partitionOf("evt_old_0"), "a dropped day's late events: default");
        assertEquals(List.of(), schemaChecks());
    }

    @Test
    @DisplayName("a day detached but not dropped (a crash between retention's two steps) goes with the next purge")
    void detachedDayIsDroppedByTheNextPurge() throws SQLException {
        store.complete(store.claim(event("evt_day_one", DAY_ONE), LEASE));
        clock.advance(Duration.ofDays(3)); // 2026-03-04T12:00Z
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT webhooks.detach_event_partition(DATE '2026-03-01', TIMESTAMPTZ '2026-03-02T00:00:00Z')")) {
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("events_p20260301", rs.getString(1), "the first step alone");
            }
        }
        assertTrue(exists("events_p20260301"), "detached, not dropped");
        assertEquals(Optional.empty(), store.state("stripe", "evt_day_one"), "out of webhooks.events already");

        store.purge(clock.instant().minus(Duration.ofDays(1)));
        assertFalse(exists("events_p20260301"), "the next purge drops it");
        assertEquals(List.of(), schemaChecks());
    }

    @Test
    @DisplayName("row-by-row retention takes rows dated after the days made ahead; a day made ahead waits for its drop")
    void rowRetentionAndFutureDates() {
        store.complete(store.claim(event("evt_far_ahead", Instant.parse("2099-01-01T00:00:00Z")), LEASE));
        store.complete(store.claim(event("evt_ahead", DAY_ONE.plus(Duration.ofDays(5))), LEASE)); // 03-06
        assertEquals("webhooks.events_default", partitionOf("evt_far_ahead"));
        assertEquals("webhooks.events_p20260306", partitionOf("evt_ahead"));
        clock.advance(Duration.ofDays(2)); // 2026-03-03T12:00Z

        assertEquals(1, store.purge(clock.instant().minus(Duration.ofDays(1))), "the default partition's row");
        assertEquals(Optional.empty(), store.state("stripe", "evt_far_ahead"));
        assertEquals(Optional.of(EventState.PROCESSED), store.state("stripe", "evt_ahead"),
                "its provider dated it three days after the cut-off: left to a later purge");

        clock.advance(Duration.ofDays(5)); // 2026-03-08T12:00Z
        assertEquals(1, store.purge(clock.instant().minus(Duration.ofDays(1))), "03-06 dropped as a whole");
        assertEquals(Optional.empty(), store.state("stripe", "evt_ahead"));
        assertFalse(exists("events_p20260306"));
    }

    @Test
    @DisplayName("a day dropped by another replica: its late events go to the default partition, once each")
    void anotherReplicaDropsADay() {
        PostgresIdempotencyStore other = PostgresIdempotencyStore.create(dataSource, clock);
        store.complete(store.claim(event("evt_a", DAY_ONE), LEASE));
        clock.advance(Duration.ofDays(10));
        assertEquals(1, other.purge(clock.instant().minus(Duration.ofDays(1))));
        assertFalse(exists("events_p20260301"));
        assertTrue(store.claim(event("evt_b", DAY_ONE), LEASE).isNew());
        assertEquals(ClaimResult.Status.IN_PROGRESS, other.claim(event("evt_b", DAY_ONE), LEASE).status());
        assertEquals("webhooks.events_default", partitionOf("evt_b"));
    }

    @Test
    @DisplayName("a service role that owns nothing claims on any day; its purge deletes row by row, the owner's drops")
    void serviceRoleWithTheDocumentedGrants() throws SQLException {
        String role = "tollgate_app_" + Long.toHexString(System.nanoTime());
        execute(dataSource, "CREATE ROLE " + role + " LOGIN PASSWORD 'app-password'");
        execute(dataSource, "GRANT CONNECT ON DATABASE \"" + db.name() + "\" TO " + role);
        execute(dataSource, "GRANT USAGE ON SCHEMA webhooks TO " + role);
        execute(dataSource, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA webhooks TO " + role);
        execute(dataSource, "GRANT USAGE ON ALL SEQUENCES IN SCHEMA webhooks TO " + role);
        execute(dataSource, "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA webhooks TO " + role);
        org.postgresql.ds.PGSimpleDataSource app = new org.postgresql.ds.PGSimpleDataSource();
        app.setURL(db.jdbcUrl());
        app.setUser(role);
        app.setPassword("app-password");
        PostgresIdempotencyStore appStore = PostgresIdempotencyStore.create(app, clock);

        assertTrue(appStore.complete(appStore.claim(event("evt_app", DAY_TWO), LEASE)));
        assertTrue(appStore.complete(appStore.claim(event("evt_app_default", DAY_NINE), LEASE)));
        assertEquals("webhooks.events_p20260302", partitionOf("evt_app"));
        assertEquals("webhooks.events_default", partitionOf("evt_app_default"));
        clock.advance(Duration.ofDays(12));
        assertEquals(2, appStore.purge(clock.instant().minus(Duration.ofDays(1))), "row by row");
        assertTrue(exists("events_p20260302"), "the service role cannot drop partitions");
        assertEquals(0, count(dataSource, "SELECT count(*) FROM webhooks.events"));
        assertEquals(0, store.purge(clock.instant().minus(Duration.ofDays(1))));
        assertFalse(exists("events_p20260302"), "the owner's purge drops the empty past days");
    }

    @Test
    @DisplayName("a table that held events stays whole at V3, works, and converts once with every row, lease and letter")
    void conversionOfATableThatHeldEvents() throws Exception {
        try (TestDatabase old = TestPostgres.shared().createDatabase()) {
            DataSource ds = old.dataSource();
            execute(ds, read("db/tollgate/webhooks/V1__webhook_events.sql"));
            execute(ds, read("db/tollgate/webhooks/V2__revoke_public_grants.sql"));
            // rows written by the release before V3: no event_day
            execute(ds, "INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, next_attempt_at,"
                    + " received_at, processed_at, payload) VALUES ('stripe', 'evt_done', 'invoice.paid', 'processed', 1,"
                    + " now(), now(), now(), convert_to('{\"id\":\"evt_done\",\"created\":" + DAY_ONE.getEpochSecond()
                    + "}', 'UTF8'))");
            execute(ds, "INSERT INTO webhooks.events (provider, event_id, state, attempts, next_attempt_at, received_at,"
                    + " last_error) VALUES ('stripe', 'evt_dead', 'dead', 3, now(), now(), 'boom')");
            execute(ds, "INSERT INTO webhooks.dead_letter_queue (provider, event_id, attempts, last_error, dead_at)"
                    + " VALUES ('stripe', 'evt_dead', 3, 'boom', now())");
            old.migrate();
            assertEquals(0, count(ds, "SELECT count(*) FROM pg_partitioned_table"), "V3 keeps a table with rows whole");

            PostgresIdempotencyStore running = PostgresIdempotencyStore.create(ds, clock);
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, running.claim(event("evt_done", DAY_ONE), LEASE).status());
            ClaimResult inFlight = running.claim(event("evt_flight", DAY_TWO), LEASE);
            assertTrue(inFlight.isNew());
            assertEquals(Optional.of(EventState.PROCESSING), running.state("stripe", "evt_flight"));

            String converted;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT webhooks.partition_events()")) {
                rs.next();
                converted = rs.getString(1);
            }
            assertTrue(converted.matches("webhooks\\.events is partitioned by event_day: 3 row\\(s\\), \\d+ day"
                    + " partition\\(s\\) and a default"), converted);

            // the running store notices by itself; nothing claimed before is claimed again
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, running.claim(event("evt_done", DAY_ONE), LEASE).status());
            assertEquals(ClaimResult.Status.IN_PROGRESS, running.claim(event("evt_flight", DAY_TWO), LEASE).status());
            assertTrue(running.complete(inFlight), "a lease taken before the conversion completes after it");
            assertEquals(ClaimResult.Status.DEAD, running.claim("stripe", "evt_dead", LEASE).status());
            assertEquals(1, running.deadLetters(10).size());
            assertTrue(running.redrive("stripe", "evt_dead"));
            assertTrue(running.claim(event("evt_new", DAY_NINE), LEASE).isNew());
            assertEquals(4, count(ds, "SELECT count(*) FROM webhooks.events"));
            assertEquals(1, count(ds, "SELECT count(*) FROM webhooks.events"
                    + " WHERE event_id = 'evt_done' AND event_day = DATE '2026-03-01'"), "day read from the payload");
            assertEquals(1, count(ds, "SELECT count(*) FROM webhooks.events"
                    + " WHERE event_id = 'evt_dead' AND event_day = DATE '1970-01-01'"), "no payload: undated");
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT webhooks.partition_events()")) {
                rs.next();
                assertEquals("webhooks.events is partitioned already", rs.getString(1));
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT check_name, status, detail FROM webhooks.verify_webhook_schema()")) {
                while (rs.next()) {
                    assertEquals("PASS", rs.getString(2), rs.getString(1) + ": " + rs.getString(3));
                }
            }
        }
    }

    @Test
    @DisplayName("the single table (not converted yet) keeps today's behaviour: claims, dead letters, DELETE retention")
    void singleTableStillWorks() throws Exception {
        try (TestDatabase old = TestPostgres.shared().createDatabase()) {
            DataSource ds = old.dataSource();
            execute(ds, read("db/tollgate/webhooks/V1__webhook_events.sql"));
            execute(ds, read("db/tollgate/webhooks/V2__revoke_public_grants.sql"));
            execute(ds, "INSERT INTO webhooks.events (provider, event_id, state, attempts, next_attempt_at, received_at,"
                    + " processed_at) VALUES ('stripe', 'evt_before', 'processed', 1, now(), now(),"
                    + " TIMESTAMPTZ '2026-03-01 00:00:00Z')");
            old.migrate();
            PostgresIdempotencyStore single = PostgresIdempotencyStore.create(ds, clock);
            ClaimResult a = single.claim(event("evt_s1", DAY_ONE), LEASE);
            assertTrue(single.complete(a));
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED, single.claim("stripe", "evt_s1", LEASE).status());
            ClaimResult b = single.claim(event("evt_s2", DAY_TWO), LEASE);
            assertEquals(FailureOutcome.DEAD_LETTERED, single.fail(b, "boom", 1, clock.instant()));
            clock.advance(Duration.ofDays(3));
            assertEquals(2, single.purge(clock.instant()), "evt_before and evt_s1, row by row");
            assertEquals(Optional.of(EventState.DEAD), single.state("stripe", "evt_s2"));
            assertEquals(0, count(ds, "SELECT count(*) FROM pg_partitioned_table"));
        }
    }

    private List<String> schemaChecks() {
        List<String> failing = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT check_name, status, detail FROM webhooks.verify_webhook_schema()")) {
            while (rs.next()) {
                if (!"PASS".equals(rs.getString(2))) {
                    failing.add(rs.getString(1) + ": " + rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return failing;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = PartitionedEventsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("the payload's day in SQL agrees with the parser's for each provider format, and is 1970-01-01 otherwise")
    void payloadDayInSql() {
        assertEquals("2026-03-01", sqlDay("{\"id\":\"evt_1\",\"created\":" + DAY_ONE.getEpochSecond() + "}"));
        assertEquals("2026-03-02", sqlDay("{\"event\":{\"id\":\"rc\",\"event_timestamp_ms\":" + DAY_TWO.toEpochMilli()
                + "}}"));
        assertEquals("2026-03-09", sqlDay("{\"type\":\"a\",\"timestamp\":\"2026-03-09T23:59:59Z\"}"));
        assertEquals("1970-01-01", sqlDay("{\"type\":\"a\"}"));
        assertEquals("1970-01-01", sqlDay("not json"));
    }

    private String sqlDay(String json) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT webhooks.payload_event_day(?)::text")) {
            s.setBytes(1, json.getBytes(StandardCharsets.UTF_8));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
