package dev.tollgate.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.WebhookPipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@TollgatePostgres(migrate = false)
class EventsTableTest {

    private final DataSource dataSource;

    EventsTableTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeEach
    void emptyTable() {
        EventsTable.reset(dataSource);
    }

    @Test
    void prefillsDistinctRowsOfTheRequestedAge() {
        assertEquals(0, EventsTable.prefill(dataSource, 0, Duration.ZERO, "none"));
        assertEquals(5_000, EventsTable.prefill(dataSource, 5_000, Duration.ZERO, "recent"));
        assertEquals(0, EventsTable.countPurgeable(dataSource));
        assertEquals(2_000, EventsTable.prefill(dataSource, 2_000, Duration.ofDays(40), "old"));
        assertEquals(7_000, EventsTable.count(dataSource));
        assertEquals(2_000, EventsTable.countPurgeable(dataSource));
        assertThrows(IllegalStateException.class, () -> EventsTable.prefill(dataSource, 10, Duration.ZERO, "recent"),
                "the same seed gives the same ids: the primary key refuses them");
    }

    @Test
    void deletesOnlyTheRowsReceivedDuringAMeasurement() {
        EventsTable.prefill(dataSource, 1_000, Duration.ZERO, "before");
        Timestamp start = EventsTable.databaseNow(dataSource);
        WebhookPipeline pipeline = BenchmarkPipelines.transactional(dataSource);
        NewStripeDelivery delivery = new NewStripeDelivery();
        for (int i = 0; i < 10; i++) {
            delivery.prepare();
            BenchmarkPipelines.require(pipeline.handle("stripe", delivery.request()), "processed", null);
        }
        assertEquals(10, EventsTable.deleteReceivedSince(dataSource, start));
        assertEquals(1_000, EventsTable.count(dataSource));
    }

    @Test
    void purgeDeletesOnlyOldProcessedRowsInBatchesAndStops() throws SQLException {
        EventsTable.prefill(dataSource, 3_000, Duration.ZERO, "recent");
        EventsTable.prefill(dataSource, 2_500, Duration.ofDays(40), "old");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE webhooks.events SET state = 'failed' WHERE event_id IN "
                    + "(SELECT event_id FROM webhooks.events WHERE received_at < now() - interval '31 days' LIMIT 7)");
            s.executeUpdate("UPDATE webhooks.events SET state = 'dead' WHERE event_id IN "
                    + "(SELECT event_id FROM webhooks.events WHERE state = 'processed'"
                    + " AND received_at < now() - interval '31 days' LIMIT 5)");
        }
        PurgeLoad purge = PurgeLoad.start(dataSource, 100);
        Awaitility.await("the purge to find nothing left").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10)).until(() -> purge.emptyBatches() > 0);
        purge.close();
        assertEquals(2_488, purge.deleted());
        assertTrue(purge.batches() >= 25, "batches of at most 100 rows: " + purge.batches());
        assertEquals(3_012, EventsTable.count(dataSource), "recent rows and failed or dead old rows stay, "
                + "as PostgresIdempotencyStore.purge keeps them");
        long after = purge.batches();
        assertEquals(after, purge.batches(), "stopped");
    }

    @Test
    void purgeRefusesABadBatchSize() {
        assertThrows(IllegalArgumentException.class, () -> PurgeLoad.start(dataSource, 0));
    }

    @Test
    void camelRepositoryCreatesItsDefaultSchemaAndDeduplicates() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS camel_messageprocessed");
        }
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, CamelJdbcBenchmark.PROCESSOR);
        repository.start();
        try {
            assertTrue(repository.add("evt_camel"));
            assertTrue(repository.confirm("evt_camel"));
            assertTrue(!repository.add("evt_camel"), "a duplicate is refused");
            assertTrue(repository.contains("evt_camel"));
        } finally {
            repository.stop();
        }
    }
}
