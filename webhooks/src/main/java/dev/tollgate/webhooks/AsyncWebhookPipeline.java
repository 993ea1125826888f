package dev.tollgate.webhooks;

import dev.tollgate.webhooks.internal.Dispatcher;
import dev.tollgate.webhooks.internal.GroupCommit;
import dev.tollgate.webhooks.internal.PostgresEventQueue;
import dev.tollgate.webhooks.internal.SeenEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Acknowledge fast, process reliably": {@link #handle} verifies a delivery, stores it durably in
 * {@code webhooks.events} as {@code pending} and answers 200 {@code queued} at once (well within
 * Stripe's and RevenueCat's delivery timeouts); {@link WebhookWorker}s claim due events with
 * {@code FOR UPDATE SKIP LOCKED}, run their handlers, retry failures with exponential backoff
 * ({@code next_attempt_at}) and dead-letter an event after the maximum attempts. Deliveries that arrive
 * together are stored with one statement and one commit (group commit, see
 * {@link WebhookPipeline.Builder#groupCommit(int, Duration)}); each is answered once its row is durable. Any number
 * of workers
 * in any number of processes may share the database: an event is handled by one worker at a time, and
 * a transactional handler's effect commits exactly once.
 *
 * <pre>{@code
 * AsyncWebhookPipeline pipeline = WebhookPipeline.builder()
 *         .verifier(stripeVerifier)
 *         .store(PostgresIdempotencyStore.create(dataSource))
 *         .onTransactional("invoice.paid", (event, connection) -> …)
 *         .buildAsync();
 * try (WebhookWorker worker = pipeline.newWorker()) {
 *     worker.start();
 *     … // serve HTTP: pipeline.handle(provider, request)
 * }
 * }</pre>
 *
 * <p>Build it with {@link WebhookPipeline.Builder#buildAsync()}. Instances are thread-safe.
 */
public final class AsyncWebhookPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncWebhookPipeline.class);

    private final WebhookPipeline.Intake intake;
    private final Dispatcher dispatcher;
    private final PostgresIdempotencyStore store;
    private final PostgresEventQueue queue;
    private final GroupCommit intakeCommits;
    private final int workerThreads;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration shutdownTimeout;
    private final Set<WebhookWorker> workers = new CopyOnWriteArraySet<>();
    /** Claims taken by this pipeline's workers and not finished yet: what the heartbeat renews. */
    private final Set<ClaimResult> inFlight = ConcurrentHashMap.newKeySet();

    AsyncWebhookPipeline(WebhookPipeline.Intake intake, Dispatcher dispatcher, PostgresIdempotencyStore store,
                         Clock clock, int workerThreads, int batchSize, Duration pollInterval,
                         Duration shutdownTimeout, int groupCommitEvents, Duration groupCommitWindow,
                         int groupCommitWrites) {
        this.intake = intake;
        this.dispatcher = dispatcher;
        this.store = store;
        this.queue = new PostgresEventQueue(store.dataSource(), clock, store.timeout(), store.eventsTable());
        this.intakeCommits = new GroupCommit(queue, groupCommitEvents, groupCommitWindow, groupCommitWrites);
        this.workerThreads = workerThreads;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * Verifies a delivery and stores it as pending.
     *
     * @param provider the provider named by the endpoint, such as {@code stripe}
     * @param request the delivery with its raw body
     * @return 200 {@code queued} for a new event, 200 {@code skipped/already_received} for a known one,
     *         or a refusal / 503 as described in {@link WebhookResult}; never {@code null}. A 200 is returned only
     *         after the event's row committed, alone or with the deliveries that arrived with it.
     */
    public WebhookResult handle(String provider, WebhookRequest request) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(request, "request");
        return enqueue(provider, request, intake.verifyAndParse(provider, request));
    }

    /**
     * Stores an event whose source was proven by an authenticated call to the provider's API (such as
     * {@link StripeCatchUp}'s) as pending, exactly as a verified delivery.
     *
     * @param provider the provider name a verifier was added for
     * @param request the event's body
     * @return the answer, as {@link #handle} gives it
     */
    WebhookResult handleFetched(String provider, WebhookRequest request) {
        return enqueue(provider, request, intake.parseFetched(provider, request));
    }

    /** @return whether a verifier was added for this provider name */
    boolean knowsProvider(String provider) {
        return intake.knows(provider);
    }

    /** @return whether an event of this type has a handler (its own or {@code "*"}) */
    boolean handles(String eventType) {
        return dispatcher.handlerFor(eventType).isPresent();
    }

    private WebhookResult enqueue(String provider, WebhookRequest request, WebhookPipeline.Intake.Parsed parsed) {
        if (parsed.result() != null) {
            return parsed.result();
        }
        WebhookEvent event = Objects.requireNonNull(parsed.event());
        if (dispatcher.handlerFor(event.type()).isEmpty()) {
            return WebhookResult.skipped("unhandled_type", event.id());
        }
        SeenEvents seen = dispatcher.seen();
        if (seen.contains(provider, event.id())) {
            return WebhookResult.skipped("already_received", event.id());
        }
        try {
            boolean queued = intakeCommits.enqueue(event, request.body());
            seen.remember(provider, event.id());
            if (queued) {
                workers.forEach(WebhookWorker::wake);
                return WebhookResult.queued(event.id());
            }
            return WebhookResult.skipped("already_received", event.id());
        } catch (IdempotencyStoreException e) {
            LOG.warn("{} event {} ({}): could not be stored; answering 503: {}", provider, event.id(), event.type(),
                    e.getMessage());
            return WebhookResult.storeUnavailable();
        } catch (RuntimeException e) {
            LOG.error("{} event {} ({}): unexpected failure; answering 500", provider, event.id(), event.type(), e);
            return WebhookResult.failed("internal_error", event.id());
        }
    }

    /**
     * Creates a worker with the configured number of threads; call {@link WebhookWorker#start()} to run
     * it, or {@link WebhookWorker#runOnce()} to process one batch on the calling thread (a cron job).
     *
     * @return a new, not yet started worker
     */
    public WebhookWorker newWorker() {
        return new WebhookWorker(this, workerThreads, pollInterval, shutdownTimeout);
    }

    /** @return the store, for dead letters and re-driving */
    public PostgresIdempotencyStore store() {
        return store;
    }

    void register(WebhookWorker worker) {
        workers.add(worker);
    }

    void unregister(WebhookWorker worker) {
        workers.remove(worker);
    }

    /** Claims one batch of due events and processes it; returns how many were claimed. */
    int processBatch() {
        List<PostgresEventQueue.ClaimedEvent> batch = queue.claimDue(batchSize, dispatcher.lease());
        // every claim of the batch is renewed until its own turn is over, not only the one running
        batch.forEach(claimed -> inFlight.add(claimed.claim()));
        try {
            for (PostgresEventQueue.ClaimedEvent claimed : batch) {
                try {
                    process(claimed);
                } finally {
                    inFlight.remove(claimed.claim());
                }
            }
        } finally {
            batch.forEach(claimed -> inFlight.remove(claimed.claim()));
        }
        return batch.size();
    }

    private void process(PostgresEventQueue.ClaimedEvent claimed) {
        ClaimResult claim = claimed.claim();
        byte[] payload = Objects.requireNonNull(claimed.payload());
        WebhookEvent event;
        try {
            event = dev.tollgate.webhooks.internal.EventParser.parseStored(
                    intake.format(claim.provider()), claim.provider(), claim.eventId(), payload);
        } catch (WebhookPayloadException e) {
            store.fail(claim, "stored payload cannot be parsed: " + e.reason().code(), 1, dispatcher.retryAt(1));
            return;
        }
        dispatcher.processClaimed(claim, event, dispatcher.handlerFor(event.type()).orElse(null));
    }

    /**
     * The heartbeat: extends the lease of every event this pipeline's workers hold, so that a handler may run
     * longer than the lease while a crashed worker's events move to another within one lease.
     *
     * @return how many leases were extended
     * @throws IdempotencyStoreException when the database cannot be used (the leases then run out)
     */
    int renewLeases() {
        return queue.renew(List.copyOf(inFlight), dispatcher.lease());
    }

    /** @return how often the heartbeat runs: a third of the lease, so two beats may be missed */
    Duration renewalInterval() {
        Duration third = dispatcher.lease().dividedBy(3);
        return third.isZero() ? Duration.ofMillis(1) : third;
    }
}
