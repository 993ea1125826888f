package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Catch-up from a local fake of Stripe's Events API into a pipeline on real PostgreSQL. */
@TollgatePostgres
class StripeCatchUpTest {

    private static final Secret KEY = Secret.of("rk_test_catchup_0123456789abcdef");

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-03-10T12:00:00Z");
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private FakeStripeEvents stripe;
    private WebhookPipeline pipeline;

    StripeCatchUpTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDeliveries.execute(dataSource, "DELETE FROM webhooks.catch_up_cursors");
        TestDeliveries.execute(dataSource, "DELETE FROM webhooks.dead_letter_queue");
        TestDeliveries.execute(dataSource, "DELETE FROM webhooks.events");
        stripe = new FakeStripeEvents();
        pipeline = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .on("invoice.paid", event -> {
                    if (failing.contains(event.id())) {
                        throw new IllegalStateException("downstream said no");
                    }
                    handled.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
                })
                .build();
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    /** The rate-limit waits the catch-up asked for, in order (nothing sleeps). */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    private StripeCatchUp.Builder catchUp() {
        return StripeCatchUp.builder().apiKey(KEY).apiBase(stripe.base()).pipeline(pipeline).pageSize(3)
                .rateLimitBackoff(3, Duration.ofSeconds(1), Duration.ofSeconds(3)).sleeper(waits::add);
    }

    /** Seven invoice.paid events created one minute apart, an hour ago; evt_1 is the oldest. */
    private void sevenEvents() {
        Instant first = clock.instant().minus(Duration.ofHours(1));
        for (int i = 1; i <= 7; i++) {
            stripe.add("evt_" + i, "invoice.paid", first.plus(Duration.ofMinutes(i)));
        }
    }

    private void assertEachHandledOnce(int events) {
        assertEquals(events, handled.size(), "events handled: " + handled.keySet());
        handled.forEach((id, n) -> assertEquals(1, n.get(), id + " was handled " + n.get() + " times"));
    }

    @Test
    @DisplayName("pages through the window, waits out a 429, skips events already delivered and finishes the cursor")
    void pagesRateLimitAndAlreadySeen() {
        sevenEvents();
        stripe.add("evt_old", "invoice.paid", clock.instant().minus(Duration.ofDays(3)));
        stripe.add("evt_other", "customer.created", clock.instant().minus(Duration.ofMinutes(30)));
        for (String id : List.of("evt_2", "evt_6")) { // delivered as webhooks before the outage
            byte[] body = FakeStripeEvents.eventJson(id, "invoice.paid", Instant.EPOCH).getBytes(StandardCharsets.UTF_8);
            assertEquals("processed", pipeline.handle("stripe", TestDeliveries.signed(clock, body)).status());
        }
        stripe.rateLimitNext("0");

        CatchUpResult result = catchUp().build().catchUp(clock.instant().minus(Duration.ofDays(2)));

        assertEquals(8, result.listed(), "evt_old is outside the window");
        assertEquals(5, result.applied());
        assertEquals(2, result.alreadyProcessed());
        assertEquals(1, result.skippedUnhandledType());
        assertEquals(3, result.pages());
        assertEquals(1, result.rateLimitWaits());
        assertFalse(result.dryRun());
        assertFalse(result.resumed());
        assertEachHandledOnce(7);
        assertEquals(List.of("evt_other", "evt_7", "evt_6", "evt_5", "evt_4", "evt_3", "evt_2", "evt_1"),
                result.items().stream().map(CatchUpResult.Item::eventId).toList(), "Stripe's order, newest first");
        assertEquals(CatchUpResult.Action.UNHANDLED_TYPE, result.items().get(0).action());
        assertEquals(CatchUpResult.Action.APPLIED, result.items().get(1).action());
        assertEquals(CatchUpResult.Action.ALREADY_PROCESSED, result.items().get(2).action());
        CatchUpCursor cursor = result.cursor();
        assertFalse(cursor.unfinished());
        assertEquals(clock.instant(), cursor.caughtUpUntil());
        // the fake saw Stripe's own parameters: the window, the page size and starting_after
        Map<String, String> second = stripe.calls.get(2);
        assertEquals(String.valueOf(clock.instant().minus(Duration.ofDays(2)).getEpochSecond()),
                second.get("created[gte]"));
        assertEquals(String.valueOf(clock.instant().getEpochSecond()), second.get("created[lte]"));
        assertEquals("3", second.get("limit"));
        assertEquals("evt_6", second.get("starting_after"));

        clock.advance(Duration.ofMinutes(5));
        CatchUpResult again = catchUp().build().catchUp(clock.instant().minus(Duration.ofDays(2)));
        assertEquals(0, again.applied(), "a second run applies nothing twice");
        assertEquals(7, again.alreadyProcessed());
        assertEachHandledOnce(7);
    }

    @Test
    @DisplayName("a handler failing mid-page stops the run; the next run continues from the cursor and applies nothing twice")
    void resumesAfterAHandlerFailure() {
        sevenEvents();
        failing.add("evt_3");
        StripeCatchUp catchUp = catchUp().build();

        CatchUpException stopped = assertThrows(CatchUpException.class,
                () -> catchUp.catchUp(clock.instant().minus(Duration.ofDays(1))));
        assertEquals(CatchUpException.Reason.EVENT_FAILED, stopped.reason());
        assertTrue(stopped.getMessage().contains("evt_3"), stopped.getMessage());
        assertEquals(4, stopped.partial().applied(), "evt_7 to evt_4 before the failure");
        assertEquals("evt_4", stopped.partial().cursor().resumeAfter());
        assertEquals("evt_4", catchUp.cursor().orElseThrow().resumeAfter());

        failing.clear();
        clock.advance(Duration.ofMinutes(1));
        CatchUpResult resumed = catchUp.catchUp();
        assertTrue(resumed.resumed());
        assertEquals(clock.instant().minus(Duration.ofMinutes(1)), resumed.until(), "the stopped run's window");
        assertEquals(3, resumed.listed(), "only what came after evt_4");
        assertEquals(3, resumed.applied());
        assertEquals("evt_4", stripe.calls.get(stripe.calls.size() - 1).get("starting_after"));
        assertEachHandledOnce(7);
        assertFalse(resumed.cursor().unfinished());
    }

    @Test
    @DisplayName("Stripe failing part-way stops the run after the last full page; the next run lists from there")
    void resumesAfterTheProviderFails() {
        sevenEvents();
        stripe.answerNext(200, "{\"object\":\"list\",\"data\":[" + FakeStripeEvents.eventJson("evt_7", "invoice.paid",
                clock.instant().minus(Duration.ofMinutes(53))) + "],\"has_more\":true,\"url\":\"/v1/events\"}",
                Map.of());
        stripe.answerNext(500, FakeStripeEvents.error("api_error", null, "An unknown error occurred"), Map.of());
        StripeCatchUp catchUp = catchUp().build();

        CatchUpException stopped = assertThrows(CatchUpException.class,
                () -> catchUp.catchUp(clock.instant().minus(Duration.ofDays(1))));
        assertEquals(CatchUpException.Reason.PROVIDER_UNAVAILABLE, stopped.reason());
        assertTrue(stopped.getMessage().contains("HTTP 500"), stopped.getMessage());
        assertFalse(stopped.getMessage().contains(KEY.reveal()), "the key is masked");
        assertEquals(1, stopped.partial().applied());

        CatchUpResult resumed = catchUp.catchUp();
        assertTrue(resumed.resumed());
        assertEquals(6, resumed.applied(), "evt_6 to evt_1");
        assertEachHandledOnce(7);
    }

    @Test
    @DisplayName("into an asynchronous pipeline: events are queued for the workers, each handled once")
    void asynchronousPipeline() {
        sevenEvents();
        AsyncWebhookPipeline async = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .on("invoice.paid", event -> handled.computeIfAbsent(event.id(), k -> new AtomicInteger())
                        .incrementAndGet())
                .buildAsync();
        StripeCatchUp catchUp = StripeCatchUp.builder().apiKey(KEY).apiBase(stripe.base()).pipeline(async).build();

        CatchUpResult queued = catchUp.catchUp(clock.instant().minus(Duration.ofDays(1)));
        assertEquals(7, queued.applied());
        assertTrue(handled.isEmpty(), "the workers handle them");
        try (WebhookWorker worker = async.newWorker()) {
            while (worker.runOnce() > 0) {
                // drain
            }
        }
        assertEachHandledOnce(7);
        assertEquals(7, catchUp.catchUp(clock.instant().minus(Duration.ofDays(1))).alreadyProcessed());
    }

    @Test
    @DisplayName("a dry run lists what would be applied, applies nothing and leaves the cursor alone")
    void dryRun() {
        sevenEvents();
        stripe.add("evt_other", "customer.created", clock.instant().minus(Duration.ofMinutes(30)));
        byte[] body = FakeStripeEvents.eventJson("evt_2", "invoice.paid", Instant.EPOCH).getBytes(StandardCharsets.UTF_8);
        pipeline.handle("stripe", TestDeliveries.signed(clock, body));
        handled.clear();
        StripeCatchUp catchUp = catchUp().build();

        CatchUpResult preview = catchUp.dryRun(clock.instant().minus(Duration.ofDays(1)));

        assertTrue(preview.dryRun());
        assertEquals(8, preview.listed());
        assertEquals(6, preview.applied(), "would apply");
        assertEquals(1, preview.alreadyProcessed());
        assertEquals(1, preview.skippedUnhandledType());
        assertEquals(CatchUpResult.Action.WOULD_APPLY, preview.items().get(1).action());
        assertTrue(handled.isEmpty(), "nothing applied");
        assertTrue(catchUp.cursor().isEmpty(), "no cursor written");
        assertNull(preview.cursor());
        assertEquals(1, TestDeliveries.count(dataSource, "SELECT count(*) FROM webhooks.events"));
    }

    @Test
    @DisplayName("429 after 429: gives up with RATE_LIMITED after the bound, having waited each out")
    void rateLimitBound() {
        sevenEvents();
        for (int i = 0; i < 4; i++) {
            stripe.rateLimitNext(i == 0 ? "1" : null);
        }
        CatchUpException e = assertThrows(CatchUpException.class,
                () -> catchUp().build().catchUp(clock.instant().minus(Duration.ofDays(1))));
        assertEquals(CatchUpException.Reason.RATE_LIMITED, e.reason());
        assertEquals(3, e.partial().rateLimitWaits());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)), waits,
                "Retry-After: 1, then the backoff doubling from 1 s, capped at 3 s");
        assertEquals(4, stripe.calls.size(), "the first call and three retries");
        assertTrue(handled.isEmpty());
    }

    @Test
    @DisplayName("Stripe's Retry-After decides the wait instead of the backoff")
    void retryAfterIsHonoured() {
        sevenEvents();
        stripe.rateLimitNext("0");
        StripeCatchUp catchUp = catchUp().rateLimitBackoff(3, Duration.ofSeconds(30), Duration.ofSeconds(30)).build();
        CatchUpResult result = catchUp.catchUp(clock.instant().minus(Duration.ofDays(1)));
        assertEquals(List.of(Duration.ZERO), waits, "Retry-After: 0 waits nothing, not the 30 s backoff");
        assertEquals(1, result.rateLimitWaits());
        assertEquals(7, result.applied());
    }

    @Test
    @DisplayName("catchUp() starts from the last finished run minus the safety window; the lag is its age")
    void scheduledRunsAndLag() {
        sevenEvents();
        StripeCatchUp catchUp = catchUp().safetyWindow(Duration.ofMinutes(10)).build();
        assertTrue(catchUp.lag().isEmpty(), "no run finished yet");
        assertThrows(IllegalStateException.class, catchUp::catchUp, "no starting point at all");

        catchUp.catchUp(clock.instant().minus(Duration.ofHours(2)));
        clock.advance(Duration.ofHours(3));
        assertEquals(Duration.ofHours(3), catchUp.lag().orElseThrow());
        stripe.add("evt_8", "invoice.paid", clock.instant().minus(Duration.ofMinutes(1)));

        CatchUpResult next = catchUp.catchUp();
        assertEquals(clock.instant().minus(Duration.ofHours(3)).minus(Duration.ofMinutes(10)), next.since());
        assertEquals(1, next.applied());
        assertEquals(Duration.ZERO, catchUp.lag().orElseThrow());
        assertEachHandledOnce(8);
    }

    @Test
    @DisplayName("since older than Stripe's 30 days or in the future is refused; bad builders name every problem")
    void badArguments() {
        StripeCatchUp catchUp = catchUp().build();
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> catchUp.catchUp(clock.instant().minus(Duration.ofDays(31))));
        assertTrue(old.getMessage().contains("30 days") && old.getMessage().contains("2026-02-08T12:00:00Z"),
                old.getMessage());
        assertThrows(IllegalArgumentException.class, () -> catchUp.dryRun(clock.instant().plusSeconds(60)));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> StripeCatchUp.builder()
                .pageSize(0).safetyWindow(Duration.ofMinutes(-1)).rateLimitBackoff(-1, Duration.ZERO, Duration.ZERO)
                .build());
        for (String problem : List.of("no API key", "no pipeline", "pageSize", "safetyWindow", "maxWaits",
                "initial must be positive")) {
            assertTrue(bad.getMessage().contains(problem), problem + " in: " + bad.getMessage());
        }
        IllegalArgumentException provider = assertThrows(IllegalArgumentException.class,
                () -> catchUp().provider("stripe-live").build());
        assertTrue(provider.getMessage().contains("no verifier for provider 'stripe-live'"), provider.getMessage());
        assertFalse(catchUp.toString().contains(KEY.reveal()), catchUp.toString());
    }
}
