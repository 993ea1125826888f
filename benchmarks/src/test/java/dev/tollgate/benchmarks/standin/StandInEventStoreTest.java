package dev.tollgate.benchmarks.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.benchmarks.EventsTable;
import dev.tollgate.benchmarks.StripeEventFixture;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@TollgatePostgres(migrate = false)
class StandInEventStoreTest {

    private static final String PAYLOAD = StripeEventFixture.subscriptionUpdated("evt_storeTest");
    private final DataSource dataSource;
    private final StandInEventStore store;

    StandInEventStoreTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.store = new StandInEventStore(dataSource);
    }

    @BeforeEach
    void emptyTable() {
        EventsTable.reset(dataSource);
    }

    @Test
    void processesANewEventOnceThenSkipsItsDuplicates() throws SQLException {
        AtomicInteger effects = new AtomicInteger();
        assertEquals(ClaimOutcome.PROCESSED, store.claimAndComplete("stripe", "evt_1", "t", PAYLOAD, effects::incrementAndGet));
        for (int i = 0; i < 3; i++) {
            assertEquals(ClaimOutcome.SKIPPED, store.claimAndComplete("stripe", "evt_1", "t", PAYLOAD, effects::incrementAndGet));
        }
        assertEquals(1, effects.get());
        assertEquals("processed", state("stripe", "evt_1"));
        assertEquals(ClaimOutcome.PROCESSED, store.claimAndComplete("revenuecat", "evt_1", "t", PAYLOAD, () -> { }),
                "the same id from another provider is another event");
    }

    @Test
    void aFailingHandlerLeavesNoRowSoTheRetryProcesses() throws SQLException {
        assertThrows(IllegalStateException.class, () -> store.claimAndComplete("stripe", "evt_2", "t", PAYLOAD, () -> {
            throw new IllegalStateException("handler failed");
        }));
        assertEquals(null, state("stripe", "evt_2"));
        assertEquals(ClaimOutcome.PROCESSED, store.claimAndComplete("stripe", "evt_2", "t", PAYLOAD, () -> { }));
    }

    @Test
    void reclaimsAFailedEventAndCountsTheAttempt() throws SQLException {
        store.claimAndComplete("stripe", "evt_3", "t", PAYLOAD, () -> { });
        update("UPDATE webhooks.events SET state = 'failed' WHERE event_id = 'evt_3'");
        assertEquals(ClaimOutcome.PROCESSED, store.claimAndComplete("stripe", "evt_3", "t", PAYLOAD, () -> { }));
        assertEquals("processed", state("stripe", "evt_3"));
        update("UPDATE webhooks.events SET state = 'processing', lease_until = now() + interval '1 minute' WHERE event_id = 'evt_3'");
        assertEquals(ClaimOutcome.SKIPPED, store.claimAndComplete("stripe", "evt_3", "t", PAYLOAD, () -> { }),
                "an event in flight elsewhere is not taken over before its lease expires");
    }

    @Test
    void concurrentDeliveriesOfOneEventHaveOneEffect(TestDatabase database) throws Exception {
        StandInEventStore shared = new StandInEventStore(database.newPool(8));
        AtomicInteger effects = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<ClaimOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    return shared.claimAndComplete("stripe", "evt_race", "t", PAYLOAD, effects::incrementAndGet);
                }));
            }
            start.countDown();
            int processed = 0;
            for (Future<ClaimOutcome> outcome : outcomes) {
                processed += outcome.get(30, TimeUnit.SECONDS) == ClaimOutcome.PROCESSED ? 1 : 0;
            }
            assertEquals(1, processed);
            assertEquals(1, effects.get());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void pipelineProcessesNewSkipsDuplicateAndRejectsBadSignatures() {
        StandInWebhookPipeline pipeline = new StandInWebhookPipeline(
                new StandInStripeVerifier(StripeEventFixture.SECRET, 300, Clock.systemUTC()),
                new StandInEventParser(), store);
        String header = StripeEventFixture.signatureHeader(PAYLOAD, System.currentTimeMillis() / 1000,
                StripeEventFixture.SECRET);
        assertEquals(ClaimOutcome.PROCESSED, pipeline.handle(PAYLOAD, header));
        assertEquals(ClaimOutcome.SKIPPED, pipeline.handle(PAYLOAD, header));
        assertThrows(IllegalArgumentException.class, () -> pipeline.handle(PAYLOAD + " ", header));
        assertThrows(IllegalArgumentException.class, () -> pipeline.handle("{}", header));
    }

    private String state(String provider, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT state FROM webhooks.events WHERE provider = ? AND event_id = ?")) {
            ps.setString(1, provider);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
