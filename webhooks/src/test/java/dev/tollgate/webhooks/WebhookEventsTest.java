package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.signedStripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class WebhookEventsTest {

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-03-01T00:00:00Z");
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final WebhookEvents events;
    private AsyncWebhookPipeline pipeline;

    WebhookEventsTest(DataSource dataSource) {
        this.dataSource = dataSource;
        this.events = WebhookEvents.create(dataSource, clock);
    }

    @BeforeEach
    void emptyTables() {
        TestDeliveries.execute(dataSource, "DELETE FROM webhooks.event_replays");
        TestDeliveries.execute(dataSource, "DELETE FROM webhooks.events");
        pipeline = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .maxAttempts(1)
                .on("ok", event -> handled.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet())
                .on("broken", event -> {
                    handled.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
                    throw new IllegalStateException("downstream said no");
                })
                .buildAsync();
    }

    private void deliver(String id, String type) {
        assertEquals("queued", pipeline.handle("stripe", signedStripe(clock, id, type)).status());
    }

    private void drain() {
        try (WebhookWorker worker = pipeline.newWorker()) {
            int claimed;
            do {
                claimed = worker.runOnce();
            } while (claimed > 0);
        }
    }

    @Test
    @DisplayName("list filters by state, provider, type and age, newest first, and never carries a payload")
    void listFilters() {
        deliver("evt_1", "ok");
        clock.advance(Duration.ofMinutes(10));
        deliver("evt_2", "broken");
        clock.advance(Duration.ofMinutes(10));
        deliver("evt_3", "ok");
        drain();
        clock.advance(Duration.ofMinutes(1));
        deliver("evt_4", "ok");

        assertEquals(List.of("evt_4", "evt_3", "evt_2", "evt_1"), ids(events.list(EventFilter.all())));
        assertEquals(List.of("evt_3", "evt_1"),
                ids(events.list(EventFilter.builder().state(EventState.PROCESSED).build())));
        assertEquals(List.of("evt_2"), ids(events.list(EventFilter.builder().state(EventState.DEAD).build())));
        assertEquals(List.of("evt_4", "evt_2"), ids(events.list(EventFilter.builder()
                .state(EventState.DEAD).state(EventState.PENDING).build())));
        assertEquals(List.of("evt_2"), ids(events.list(EventFilter.builder().eventType("broken").build())));
        assertEquals(List.of("evt_2", "evt_1"),
                ids(events.list(EventFilter.builder().olderThan(Duration.ofMinutes(10)).build())));
        assertEquals(List.of("evt_4", "evt_3"),
                ids(events.list(EventFilter.builder().newerThan(Duration.ofMinutes(5)).build())));
        assertEquals(List.of(), ids(events.list(EventFilter.builder().provider("revenuecat").build())));
        assertEquals(List.of("evt_4", "evt_3"), ids(events.list(EventFilter.builder().limit(2).build())));

        EventRecord dead = events.list(EventFilter.builder().state(EventState.DEAD).build()).get(0);
        assertEquals(new EventRecord("stripe", "evt_2", "broken", EventState.DEAD, 1,
                Instant.parse("2026-03-01T00:10:00Z"), null, dead.lastError()), dead);
        assertTrue(dead.lastError().contains("downstream said no"), dead.lastError());
    }

    @Test
    @DisplayName("show gives metadata and dead-letter rows, and the payload only when asked")
    void show() {
        deliver("evt_dead", "broken");
        drain();
        EventDetails details = events.show("stripe", "evt_dead").orElseThrow();
        assertEquals(EventState.DEAD, details.event().state());
        assertEquals(1, details.deadLetters().size());
        assertNull(details.deadLetters().get(0).redrivenAt());
        assertNull(details.payload());
        assertTrue(events.show("stripe", "evt_dead", true).orElseThrow().payload().contains("\"evt_dead\""));
        assertTrue(events.show("stripe", "evt_none").isEmpty());
        assertThrows(NullPointerException.class, () -> events.show(null, "evt_dead"));
    }

    @Test
    @DisplayName("redrive(filter) puts back only matching dead letters, and a worker handles each once more")
    void redriveByFilter() {
        deliver("evt_a", "broken");
        deliver("evt_b", "broken");
        clock.advance(Duration.ofHours(2));
        deliver("evt_c", "broken");
        drain();
        assertEquals(0, events.redrive(EventFilter.builder().provider("revenuecat").build()));
        assertEquals(2, events.redrive(EventFilter.builder().olderThan(Duration.ofHours(1)).build()));
        assertEquals(0, events.redrive(EventFilter.builder().olderThan(Duration.ofHours(1)).build()));
        drain();
        assertEquals(2, handled.get("evt_a").get());
        assertEquals(2, handled.get("evt_b").get());
        assertEquals(1, handled.get("evt_c").get());
        assertTrue(events.show("stripe", "evt_a").orElseThrow().deadLetters().get(0).redrivenAt() != null);
    }

    @Test
    @DisplayName("replay runs a processed event's handlers once more and records it; other states are refused")
    void replay() {
        deliver("evt_done", "ok");
        deliver("evt_dead", "broken");
        drain();
        clock.advance(Duration.ofMinutes(5));
        assertEquals(ReplayOutcome.REPLAYED, events.replay("stripe", "evt_done"));
        assertEquals(ReplayOutcome.NOT_PROCESSED, events.replay("stripe", "evt_done"));
        assertEquals(EventState.PENDING, events.show("stripe", "evt_done").orElseThrow().event().state());
        drain();
        assertEquals(2, handled.get("evt_done").get());
        EventDetails details = events.show("stripe", "evt_done").orElseThrow();
        assertEquals(EventState.PROCESSED, details.event().state());
        assertEquals(List.of(Instant.parse("2026-03-01T00:05:00Z")), details.replays());
        assertEquals(ReplayOutcome.NOT_PROCESSED, events.replay("stripe", "evt_dead"));
        assertEquals(ReplayOutcome.NOT_FOUND, events.replay("stripe", "evt_none"));
        assertEquals(1, TestDeliveries.count(dataSource, "SELECT count(*) FROM webhooks.event_replays"));
    }

    @Test
    @DisplayName("a bad filter names every problem at once")
    void badFilter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventFilter.builder()
                .provider(" ").olderThan(Duration.ofSeconds(-1)).limit(0).build());
        assertTrue(e.getMessage().contains("provider"), e.getMessage());
        assertTrue(e.getMessage().contains("olderThan must not be negative"), e.getMessage());
        assertTrue(e.getMessage().contains("limit must be 1 to 10000, but was 0"), e.getMessage());
        assertThrows(NullPointerException.class, () -> EventFilter.builder().provider(null));
    }

    private static List<String> ids(List<EventRecord> records) {
        return records.stream().map(EventRecord::eventId).toList();
    }
}
