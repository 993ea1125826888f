package dev.tollgate.webhooks;

import dev.tollgate.webhooks.internal.Dispatcher;
import dev.tollgate.webhooks.internal.EventParser;
import dev.tollgate.webhooks.internal.HandlerBinding;
import dev.tollgate.webhooks.internal.RefusalLog;
import dev.tollgate.webhooks.internal.SeenEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Framework-neutral webhook intake: verify → parse → claim → dispatch → complete, answering with a
 * {@link WebhookResult} that an HTTP layer writes out as it is. {@link #handle} never throws for a bad
 * delivery, a failing handler or an unreachable database; see {@link WebhookResult} for every answer.
 *
 * <pre>{@code
 * WebhookPipeline pipeline = WebhookPipeline.builder()
 *         .verifier(stripeVerifier)
 *         .store(PostgresIdempotencyStore.create(dataSource))
 *         .on("invoice.paid", event -> billing.markPaid(event.stripeEvent()))
 *         .build();
 * // in the HTTP endpoint POST /webhooks/{provider}:
 * WebhookResult result = pipeline.handle(provider, WebhookRequest.of(headers, rawBody));
 * response.status(result.httpStatus()).json(result.toJson());
 * }</pre>
 *
 * <p>A handler registered with {@link Builder#onTransactional} runs in the claim's transaction (a
 * {@link PostgresIdempotencyStore} is then required): claim, the handler's writes and the completion
 * commit together, so the effect happens exactly once; a duplicate delivery arriving meanwhile waits for
 * that transaction and then answers {@code already_processed}. A plain handler runs between the claim and
 * the completion: once per event unless it outlasts its lease or the completion cannot be recorded.
 *
 * <p>Instances are immutable and thread-safe. For "acknowledge fast, process later" use
 * {@link Builder#buildAsync()}.
 */
public final class WebhookPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookPipeline.class);

    private final Intake intake;
    private final Dispatcher dispatcher;

    private WebhookPipeline(Intake intake, Dispatcher dispatcher) {
        this.intake = intake;
        this.dispatcher = dispatcher;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handles one delivery.
     *
     * @param provider the provider named by the endpoint, such as {@code stripe}
     * @param request the delivery with its raw body
     * @return the answer for the provider; never {@code null}
     */
    public WebhookResult handle(String provider, WebhookRequest request) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(request, "request");
        return dispatch(provider, intake.verifyAndParse(provider, request));
    }

    /**
     * Handles an event whose source was proven another way than a signature (an authenticated call to the
     * provider's API, such as {@link StripeCatchUp}'s): parsed, claimed and dispatched exactly as a delivery.
     *
     * @param provider the provider name a verifier was added for
     * @param request the event's body
     * @return the answer, as {@link #handle} gives it
     */
    WebhookResult handleFetched(String provider, WebhookRequest request) {
        return dispatch(provider, intake.parseFetched(provider, request));
    }

    /** @return whether an event of this type has a handler (its own or {@code "*"}) */
    boolean handles(String eventType) {
        return dispatcher.handlerFor(eventType).isPresent();
    }

    /** @return whether a verifier was added for this provider name */
    boolean knowsProvider(String provider) {
        return intake.knows(provider);
    }

    /** @return the idempotency store */
    IdempotencyStore store() {
        return dispatcher.store();
    }

    private WebhookResult dispatch(String provider, Intake.Parsed parsed) {
        if (parsed.result() != null) {
            return parsed.result();
        }
        WebhookEvent event = Objects.requireNonNull(parsed.event());
        HandlerBinding binding = dispatcher.handlerFor(event.type()).orElse(null);
        if (binding == null) {
            return WebhookResult.skipped("unhandled_type", event.id());
        }
        try {
            return dispatcher.claimAndProcess(event, binding);
        } catch (IdempotencyStoreException e) {
            LOG.warn("{} event {} ({}): answering 503: {}", provider, event.id(), event.type(), e.getMessage());
            return WebhookResult.storeUnavailable();
        } catch (RuntimeException e) {
            LOG.error("{} event {} ({}): unexpected failure; answering 500", provider, event.id(), event.type(), e);
            return WebhookResult.failed("internal_error", event.id());
        }
    }

    /** Verification and parsing, shared by the synchronous and asynchronous pipelines. */
    static final class Intake {

        /**
         * The outcome of verification and parsing: an event, or the answer to give at once.
         *
         * @param event the event, when the delivery was accepted
         * @param result the answer, when it was refused
         */
        record Parsed(@Nullable WebhookEvent event, @Nullable WebhookResult result) {
        }

        private record Source(WebhookVerifier verifier, EventFormat format) {
        }

        private final Map<String, Source> sources;
        private final int maxBodyBytes;
        private final WebhookObserver observer;
        private final RefusalLog refusals = new RefusalLog();

        private Intake(Map<String, Source> sources, int maxBodyBytes, WebhookObserver observer) {
            this.sources = Map.copyOf(sources);
            this.maxBodyBytes = maxBodyBytes;
            this.observer = observer;
        }

        boolean knows(String provider) {
            return sources.containsKey(provider);
        }

        EventFormat format(String provider) {
            Source source = sources.get(provider);
            return source == null ? EventFormat.forProvider(provider) : source.format();
        }

        /**
         * Parses an event fetched from the provider's API by an authenticated call: no signature to verify.
         *
         * @param provider the provider, which must have a verifier (it names the payload format)
         * @param request the event's body
         * @return the event, or the refusal
         */
        Parsed parseFetched(String provider, WebhookRequest request) {
            return verifyAndParse(provider, request, false);
        }

        Parsed verifyAndParse(String provider, WebhookRequest request) {
            return verifyAndParse(provider, request, true);
        }

        private Parsed verifyAndParse(String provider, WebhookRequest request, boolean verify) {
            Parsed parsed = verifyAndParseUnobserved(provider, request, verify);
            WebhookResult refusal = parsed.result();
            if (refusal != null && "rejected".equals(refusal.status()) && refusal.reason() != null) {
                try {
                    observer.deliveryRefused(provider, refusal.reason());
                } catch (RuntimeException e) {
                    LOG.warn("the webhook observer {} failed (ignored)", observer.getClass().getName(), e);
                }
            }
            return parsed;
        }

        private Parsed verifyAndParseUnobserved(String provider, WebhookRequest request, boolean verify) {
            Source source = sources.get(provider);
            if (source == null) {
                return new Parsed(null, WebhookResult.rejected(404, "unknown_provider"));
            }
            if (request.bodyLength() > maxBodyBytes) {
                refusals.refused(LOG, provider, "body_too_large");
                return new Parsed(null, WebhookResult.rejected(413, "body_too_large"));
            }
            try {
                if (verify) {
                    source.verifier().verify(request);
                }
            } catch (SignatureException e) {
                refusals.refused(LOG, provider, e.reason().code());
                return new Parsed(null, WebhookResult.rejected(e.reason().httpStatus(), e.reason().code()));
            } catch (RuntimeException e) {
                LOG.error("the {} verifier failed unexpectedly (a bug: verifiers throw SignatureException); "
                        + "answering 500", provider, e);
                return new Parsed(null, WebhookResult.failed("internal_error", null));
            }
            try {
                return new Parsed(EventParser.parse(source.format(), provider, request), null);
            } catch (WebhookPayloadException e) {
                refusals.refused(LOG, provider, e.reason().code());
                return new Parsed(null, WebhookResult.rejected(400, e.reason().code()));
            } catch (RuntimeException e) {
                LOG.error("{} delivery could not be parsed (unexpected); answering 400", provider, e);
                return new Parsed(null, WebhookResult.rejected(400, WebhookPayloadException.Reason.MALFORMED_JSON.code()));
            }
        }
    }

    /**
     * Configures a {@link WebhookPipeline} or an {@link AsyncWebhookPipeline}. Every setting is checked in
     * {@link #build()} / {@link #buildAsync()}, which report all problems in one exception.
     */
    public static final class Builder {

        /** Default size of the {@linkplain #duplicateCache(int, Duration) duplicate cache}. */
        public static final int DEFAULT_DUPLICATE_CACHE_ENTRIES = 10_000;
        /** Default {@linkplain #lease(Duration) lease}: short, because workers renew it while handlers run. */
        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
        /** Default time an event stays in the {@linkplain #duplicateCache(int, Duration) duplicate cache}. */
        public static final Duration DEFAULT_DUPLICATE_CACHE_TTL = Duration.ofMinutes(10);
        /** Default most deliveries one {@linkplain #groupCommit(int, Duration) group commit} stores. */
        public static final int DEFAULT_GROUP_COMMIT_EVENTS = 64;
        /** Default {@linkplain #groupCommit(int, Duration) group commit} window. */
        public static final Duration DEFAULT_GROUP_COMMIT_WINDOW = Duration.ZERO;
        /** How many group commits of one pipeline may be written at once. */
        static final int GROUP_COMMIT_WRITES = 1;
        private static final Duration MAX_GROUP_COMMIT_WINDOW = Duration.ofMillis(100);

        private final Map<String, Intake.Source> sources = new LinkedHashMap<>();
        private final Map<String, HandlerBinding> handlers = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private @Nullable IdempotencyStore store;
        private @Nullable Clock clock;
        private Duration lease = DEFAULT_LEASE;
        private int maxAttempts = 5;
        private int groupCommitEvents = DEFAULT_GROUP_COMMIT_EVENTS;
        private Duration groupCommitWindow = DEFAULT_GROUP_COMMIT_WINDOW;
        private Duration initialBackoff = Duration.ofSeconds(30);
        private Duration maxBackoff = Duration.ofHours(1);
        private int maxBodyBytes = 1024 * 1024;
        private int workerThreads = 2;
        private int batchSize = 20;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private WebhookObserver observer = WebhookObserver.NONE;
        private int duplicateCacheEntries = DEFAULT_DUPLICATE_CACHE_ENTRIES;
        private Duration duplicateCacheTtl = DEFAULT_DUPLICATE_CACHE_TTL;

        private Builder() {
        }

        /**
         * Sets the observer told about refused deliveries and handled events, for metrics (default
         * {@link WebhookObserver#NONE}). An observer that throws is logged and ignored.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(WebhookObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Adds a verifier; deliveries for its {@link WebhookVerifier#provider()} are read in the format that
         * name implies ({@link EventFormat#forProvider(String)}).
         *
         * @param verifier the verifier
         * @return this builder
         */
        public Builder verifier(WebhookVerifier verifier) {
            Objects.requireNonNull(verifier, "verifier");
            return verifier(verifier, EventFormat.forProvider(verifier.provider()));
        }

        /**
         * Adds a verifier with an explicit payload format.
         *
         * @param verifier the verifier
         * @param format where its payloads keep id, type and creation time
         * @return this builder
         */
        public Builder verifier(WebhookVerifier verifier, EventFormat format) {
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(format, "format");
            String provider = Objects.requireNonNull(verifier.provider(), "verifier.provider()");
            if (provider.isEmpty() || provider.length() > 100) {
                problems.add("provider name must have 1 to 100 characters, but had " + provider.length());
            } else if (sources.putIfAbsent(provider, new Intake.Source(verifier, format)) != null) {
                problems.add("a verifier for provider '" + provider + "' was already added");
            }
            return this;
        }

        /**
         * Sets the idempotency store (required).
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Registers the handler of an event type.
         *
         * @param eventType the type, such as {@code invoice.paid}; {@code "*"} for every type without a
         *                  handler of its own
         * @param handler the handler
         * @return this builder
         */
        public Builder on(String eventType, WebhookHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return register(eventType, new HandlerBinding(handler, null));
        }

        /**
         * Registers a handler that runs in the completion's transaction (requires a
         * {@link PostgresIdempotencyStore}).
         *
         * @param eventType the type; {@code "*"} for every type without a handler of its own
         * @param handler the handler
         * @return this builder
         */
        public Builder onTransactional(String eventType, TransactionalWebhookHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return register(eventType, new HandlerBinding(null, handler));
        }

        private Builder register(String eventType, HandlerBinding binding) {
            Objects.requireNonNull(eventType, "eventType");
            if (eventType.isBlank()) {
                problems.add("an event type must not be blank");
            } else if (handlers.putIfAbsent(eventType, binding) != null) {
                problems.add("a handler for event type '" + eventType + "' was already registered");
            }
            return this;
        }

        /**
         * Sets the clock for retry times and, in asynchronous mode, for what is due. Default: the
         * {@link PostgresIdempotencyStore}'s clock, else the system UTC clock. Use the store's clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how long a claim is held before another worker may take the event over (default 30 seconds).
         * Asynchronous workers renew it every third of the lease while the handler runs (a heartbeat), so a
         * handler may take longer, and a crashed worker's events move to another worker within one lease. In
         * synchronous mode a plain handler ({@link #on}) must finish within the lease; a transactional one holds
         * its claim in its own transaction and needs no lease.
         *
         * @param lease a positive duration
         * @return this builder
         */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * Sets the number of attempts after which an event is dead-lettered (default 5).
         *
         * @param maxAttempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the retry backoff of asynchronous mode: {@code initial × 2^(attempt-1)}, at most {@code max}
         * (default 30 s and 1 h). Synchronous mode leaves retry timing to the provider.
         *
         * @param initial the first delay, positive
         * @param max the longest delay, at least {@code initial}
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * Sets the largest body accepted (default 1 MiB); larger ones are refused with 413 before
         * verification.
         *
         * @param maxBodyBytes at least 1
         * @return this builder
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Asynchronous mode: sets the worker threads of each {@link WebhookWorker} (default 2).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder workerThreads(int threads) {
            this.workerThreads = threads;
            return this;
        }

        /**
         * Asynchronous mode: sets how many due events a worker thread claims at once (default 20).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Asynchronous mode: sets how long an idle worker thread waits before looking for due events
         * again (default 1 s). New deliveries to the same pipeline wake it at once.
         *
         * @param pollInterval a positive duration
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /**
         * Asynchronous mode: sets how long {@link WebhookWorker#close()} waits for in-flight events before
         * interrupting the handlers (default 30 s).
         *
         * @param shutdownTimeout a positive duration
         * @return this builder
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * Asynchronous mode: sets the intake's group commit. Deliveries that arrive together are stored with one
         * multi-row statement and one commit, so they share the commit's flush to disk (with
         * {@code synchronous_commit=on}, the cost that bounds a one-row-per-transaction intake); each is answered
         * only once the statement that carried it committed. One batch is written at a time: the deliveries that
         * arrive while it commits form the next one (up to {@code maxEvents}), so batches grow with the load and a
         * lone delivery is written at once. A delivery that starts a batch may also wait up to {@code window} for
         * others before the write; the default 0 does not wait, which measured best at every load tried (waiting
         * only delays the write whose commit the next batch would share). A batch that fails because of one
         * event's data is retried event by event; one that fails for any other reason (the database down, a
         * timeout) answers each of its deliveries 503, and none of its rows committed. Default:
         * {@value #DEFAULT_GROUP_COMMIT_EVENTS} events, no window; {@code groupCommit(1, Duration.ZERO)} stores each
         * delivery on its own, on the caller's thread, as many at a time as the pool allows.
         *
         * @param maxEvents the most deliveries in one statement, 1 to 1,000
         * @param window how long the first delivery of a batch waits for others, 0 to 100 ms
         * @return this builder
         */
        public Builder groupCommit(int maxEvents, Duration window) {
            this.groupCommitEvents = maxEvents;
            this.groupCommitWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets the duplicate cache (default {@value #DEFAULT_DUPLICATE_CACHE_ENTRIES} events for 10 minutes).
         * A provider redelivers what it thinks failed, sometimes several times at once, and a duplicate
         * otherwise costs a store round trip (two in transactional mode). The pipeline remembers, in memory,
         * the events it has seen reach a state the store never leaves — {@code processed} in synchronous
         * mode (processed here, or answered {@code already_processed} by the store), stored at all in
         * asynchronous mode — and answers a delivery of one of them without asking the store:
         * {@code 200 skipped/already_processed} (asynchronous: {@code already_received}), after verification
         * as always. Failed and dead-lettered events are never cached: retries and re-drives reach the store.
         *
         * <p>Each replica has its own cache; a duplicate that lands on another replica is answered by the
         * store as before. If you change event rows by hand (say, delete a processed row to have its next
         * delivery handled again), that delivery is still answered from the cache of a replica that
         * remembers it, for at most {@code ttl}: wait that long, restart, or build with
         * {@code duplicateCache(0, …)}. Entries age on {@code System.nanoTime()} when the pipeline's
         * {@linkplain #clock(Clock) clock} is a system clock (so a clock step does not stretch them), on that clock
         * otherwise (tests move it; a fixed clock never ages them); each costs about 150 bytes.
         *
         * @param maxEntries how many events to remember, 0 to turn the cache off
         * @param ttl how long an event is remembered, positive
         * @return this builder
         */
        public Builder duplicateCache(int maxEntries, Duration ttl) {
            this.duplicateCacheEntries = maxEntries;
            this.duplicateCacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * Builds a synchronous pipeline.
         *
         * @return the pipeline
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public WebhookPipeline build() {
            validate(false);
            return new WebhookPipeline(intake(), dispatcher());
        }

        /**
         * Builds an asynchronous pipeline: deliveries are verified, stored as {@code pending} and answered
         * at once; {@link AsyncWebhookPipeline#newWorker()} workers process them. Requires a
         * {@link PostgresIdempotencyStore}.
         *
         * @return the pipeline
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public AsyncWebhookPipeline buildAsync() {
            validate(true);
            PostgresIdempotencyStore pg = (PostgresIdempotencyStore) Objects.requireNonNull(store);
            return new AsyncWebhookPipeline(intake(), dispatcher(), pg, effectiveClock(), workerThreads, batchSize,
                    pollInterval, shutdownTimeout, groupCommitEvents, groupCommitWindow, GROUP_COMMIT_WRITES);
        }

        private Intake intake() {
            return new Intake(sources, maxBodyBytes, observer);
        }

        private Clock effectiveClock() {
            if (clock != null) {
                return clock;
            }
            return store instanceof PostgresIdempotencyStore pg ? pg.clock() : Clock.systemUTC();
        }

        private Dispatcher dispatcher() {
            Clock effective = effectiveClock();
            return new Dispatcher(handlers, Objects.requireNonNull(store), effective, lease, maxAttempts,
                    initialBackoff, maxBackoff, observer,
                    SeenEvents.create(duplicateCacheEntries, duplicateCacheTtl, effective));
        }

        private void validate(boolean async) {
            List<String> all = new ArrayList<>(problems);
            if (sources.isEmpty()) {
                all.add("no verifier was added: add one per provider with verifier(…)");
            }
            if (store == null) {
                all.add("no store was set: store(PostgresIdempotencyStore.create(dataSource)) or "
                        + "store(InMemoryIdempotencyStore.builder().build())");
            }
            if (handlers.isEmpty()) {
                all.add("no handler was registered: on(eventType, handler)");
            }
            boolean transactional = handlers.values().stream().anyMatch(b -> b.transactional() != null);
            if (transactional && store != null && !(store instanceof PostgresIdempotencyStore)) {
                all.add("transactional handlers need a PostgresIdempotencyStore, but the store is "
                        + store.getClass().getSimpleName());
            }
            if (async && store != null && !(store instanceof PostgresIdempotencyStore)) {
                all.add("buildAsync() needs a PostgresIdempotencyStore (pending events must be durable), but the "
                        + "store is " + store.getClass().getSimpleName());
            }
            requirePositive(all, "lease", lease);
            if (maxAttempts < 1) {
                all.add("maxAttempts must be at least 1, but was " + maxAttempts);
            }
            requirePositive(all, "backoff initial", initialBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                all.add("backoff max must be at least initial (" + initialBackoff + "), but was " + maxBackoff);
            }
            if (maxBodyBytes < 1) {
                all.add("maxBodyBytes must be at least 1, but was " + maxBodyBytes);
            }
            if (workerThreads < 1) {
                all.add("workerThreads must be at least 1, but was " + workerThreads);
            }
            if (batchSize < 1) {
                all.add("batchSize must be at least 1, but was " + batchSize);
            }
            requirePositive(all, "pollInterval", pollInterval);
            if (duplicateCacheEntries < 0) {
                all.add("duplicateCache maxEntries must be at least 0 (0 turns the cache off), but was "
                        + duplicateCacheEntries);
            }
            requirePositive(all, "duplicateCache ttl", duplicateCacheTtl);
            requirePositive(all, "shutdownTimeout", shutdownTimeout);
            if (groupCommitEvents < 1 || groupCommitEvents > 1_000) {
                all.add("groupCommit maxEvents must be 1 to 1000, but was " + groupCommitEvents);
            }
            if (groupCommitWindow.isNegative() || groupCommitWindow.compareTo(MAX_GROUP_COMMIT_WINDOW) > 0) {
                all.add("groupCommit window must be 0 to 100 ms, but was " + groupCommitWindow);
            }
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("invalid webhook pipeline configuration: " + String.join("; ", all));
            }
        }

        private static void requirePositive(List<String> problems, String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                problems.add(name + " must be positive, but was " + value);
            }
        }
    }
}
