package dev.tollgate.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.StripeCollection;
import com.stripe.param.EventListParams;
import dev.tollgate.Secret;
import dev.tollgate.webhooks.internal.CatchUpCursors;
import dev.tollgate.webhooks.internal.RetryAfterRecorder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches up on Stripe events that never arrived as webhooks (an endpoint disabled for a day, a deploy that
 * answered 500, a secret rotated wrongly): lists them with Stripe's Events API ({@code GET /v1/events},
 * which keeps events for 30 days) and feeds each through the same pipeline as a delivery. The authenticated
 * API call proves the source, so no signature is checked; the idempotency store skips events already
 * processed, so a run may overlap earlier deliveries and runs freely.
 *
 * <pre>{@code
 * StripeCatchUp catchUp = StripeCatchUp.builder()
 *         .apiKey(Secret.of(System.getenv("STRIPE_API_KEY")))   // a restricted key with "Events: read"
 *         .pipeline(pipeline)                                     // the service's WebhookPipeline
 *         .build();
 * CatchUpResult preview = catchUp.dryRun(Instant.parse("2026-03-01T00:00:00Z"));
 * CatchUpResult result = catchUp.catchUp(Instant.parse("2026-03-01T00:00:00Z"));
 * }</pre>
 *
 * <p>A run lists the events created in a window {@code [since, now]} page by page (newest first, as Stripe
 * lists them) and records the last event it handled in {@code webhooks.catch_up_cursors} after each one. A
 * run that stops part-way (a crash, a failing handler, Stripe refusing) throws {@link CatchUpException}; the
 * next run continues after the recorded event, in the same window, and applies nothing twice. A finished
 * run records its window's end as the time the provider is caught up to: {@link #catchUp()} starts from
 * there (minus a {@linkplain Builder#safetyWindow(Duration) safety window}), so it can run on a schedule.
 *
 * <p>Stripe's 429 answers are waited out with a bounded exponential backoff (the {@code Retry-After} header,
 * when Stripe sends one and the client is built here, decides the wait, capped by the maximum backoff);
 * after the configured number of waits for one call the run stops with {@link CatchUpException.Reason#RATE_LIMITED}.
 * Runs of one instance may not overlap (one cursor per provider): run it from one place (a cron job, an
 * operator command). Instances are immutable.
 */
public final class StripeCatchUp {

    /** How long Stripe keeps events listable: a {@code since} older than this is refused. */
    public static final Duration RETENTION = Duration.ofDays(30);
    /** Default {@linkplain Builder#safetyWindow(Duration) safety window}. */
    public static final Duration DEFAULT_SAFETY_WINDOW = Duration.ofHours(1);
    /** Stripe's API. */
    public static final URI DEFAULT_API_BASE = URI.create("https://api.stripe.com");
    /** Default and largest page size (Stripe's own maximum). */
    public static final int MAX_PAGE_SIZE = 100;
    /** Default number of 429 answers waited out for one call before the run gives up. */
    public static final int DEFAULT_MAX_RATE_LIMIT_WAITS = 6;

    private static final Logger LOG = LoggerFactory.getLogger(StripeCatchUp.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The pipeline events are fed to: synchronous or asynchronous. */
    private interface Target {
        WebhookResult handle(String provider, WebhookRequest request);

        boolean handles(String eventType);

        IdempotencyStore store();
    }

    private final StripeClient client;
    private final @Nullable RetryAfterRecorder retryAfter;
    private final String keyMasked;
    private final Target target;
    private final String provider;
    private final CatchUpCursors cursors;
    private final Clock clock;
    private final Duration safetyWindow;
    private final int pageSize;
    private final int maxRateLimitWaits;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;

    /** How a rate-limit wait is waited out: {@link Thread#sleep} but in tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private StripeCatchUp(Builder b, StripeClient client, @Nullable RetryAfterRecorder retryAfter, Target target,
                          DataSource dataSource, Clock clock) {
        this.client = client;
        this.retryAfter = retryAfter;
        this.keyMasked = b.apiKey == null ? "a given StripeClient" : b.apiKey.masked() + " at " + b.apiBase;
        this.target = target;
        this.provider = b.provider;
        this.cursors = new CatchUpCursors(dataSource);
        this.clock = clock;
        this.safetyWindow = b.safetyWindow;
        this.pageSize = b.pageSize;
        this.maxRateLimitWaits = b.maxRateLimitWaits;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.sleeper = b.sleeper;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Feeds every event created since {@code since} through the pipeline; continues an unfinished run instead
     * when its window already starts at or before {@code since}.
     *
     * @param since the oldest creation time wanted; at most 30 days ago, not in the future
     * @return what the run did
     * @throws IllegalArgumentException when {@code since} is older than Stripe keeps events or in the future
     * @throws CatchUpException when the run stops part-way (the next run continues it)
     * @throws IdempotencyStoreException when the cursor cannot be read
     */
    public CatchUpResult catchUp(Instant since) {
        return run(checkSince(since), false);
    }

    /**
     * Feeds every event since the last finished run (minus the safety window) through the pipeline, or since
     * the newest processed event (minus the safety window) when no run has finished; continues an
     * unfinished run first. Meant for a schedule; after an outage prefer {@link #catchUp(Instant)} with its start.
     *
     * @return what the run did
     * @throws IllegalStateException when no run finished and no event of the provider was ever processed
     * @throws CatchUpException when the run stops part-way (the next run continues it)
     * @throws IdempotencyStoreException when the cursor cannot be read
     */
    public CatchUpResult catchUp() {
        return run(null, false);
    }

    /**
     * Lists what {@link #catchUp(Instant)} would apply, without applying anything or moving the cursor.
     *
     * @param since the oldest creation time wanted; at most 30 days ago, not in the future
     * @return the listed events, each with what would happen to it
     * @throws IllegalArgumentException when {@code since} is older than Stripe keeps events or in the future
     * @throws CatchUpException when Stripe cannot be listed
     * @throws IdempotencyStoreException when the cursor or the store cannot be read
     */
    public CatchUpResult dryRun(Instant since) {
        return run(checkSince(since), true);
    }

    /**
     * Lists what {@link #catchUp()} would apply, without applying anything or moving the cursor.
     *
     * @return the listed events, each with what would happen to it
     * @throws IllegalStateException when no run finished and no event of the provider was ever processed
     * @throws CatchUpException when Stripe cannot be listed
     * @throws IdempotencyStoreException when the cursor or the store cannot be read
     */
    public CatchUpResult dryRun() {
        return run(null, true);
    }

    /**
     * @return the stored cursor, if a run ever started
     * @throws IdempotencyStoreException when the database cannot be used
     */
    public Optional<CatchUpCursor> cursor() {
        return cursors.find(provider);
    }

    /**
     * The catch-up lag: how long ago the time is up to which every event has been seen by a finished run.
     *
     * @return the lag (never negative), or empty when no run has finished
     * @throws IdempotencyStoreException when the database cannot be used
     */
    public Optional<Duration> lag() {
        Instant now = clock.instant();
        return cursor().map(CatchUpCursor::caughtUpUntil).map(until -> until.isAfter(now)
                ? Duration.ZERO : Duration.between(until, now));
    }

    /** @return the provider events are handled under */
    public String provider() {
        return provider;
    }

    private Instant checkSince(Instant since) {
        Objects.requireNonNull(since, "since");
        Instant now = clock.instant();
        Instant oldest = now.minus(RETENTION);
        if (since.isBefore(oldest)) {
            throw new IllegalArgumentException("since " + since + " is older than Stripe keeps events (30 days):"
                    + " give " + oldest + " or later");
        }
        if (since.isAfter(now)) {
            throw new IllegalArgumentException("since " + since + " is in the future (now is " + now + ")");
        }
        return since;
    }

    private Instant defaultSince(Optional<CatchUpCursor> cursor, Instant now) {
        Instant from = cursor.map(CatchUpCursor::caughtUpUntil)
                .or(() -> cursors.newestProcessed(provider))
                .map(t -> t.minus(safetyWindow))
                .orElseThrow(() -> new IllegalStateException("no " + provider + " catch-up has finished and no "
                        + provider + " event was processed: give the time to catch up from (since)"));
        Instant oldest = now.minus(RETENTION);
        if (from.isBefore(oldest)) {
            LOG.info("{} catch-up: starting at {}, the oldest event Stripe keeps, not at {}", provider, oldest, from);
            from = oldest;
        }
        return from.isAfter(now) ? now : from;
    }

    private CatchUpResult run(@Nullable Instant requested, boolean dryRun) {
        Instant now = clock.instant();
        Optional<CatchUpCursor> cursor = cursors.find(provider);
        boolean resume = cursor.filter(CatchUpCursor::unfinished)
                .filter(c -> requested == null || !requested.isBefore(c.windowFrom())).isPresent();
        Progress p;
        if (resume) {
            CatchUpCursor c = cursor.get();
            p = new Progress(dryRun, true, c.windowFrom(), c.windowUntil(), c.resumeAfter(), c);
        } else {
            Instant from = requested != null ? requested : defaultSince(cursor, now);
            p = new Progress(dryRun, false, from, now, null, cursor.orElse(null));
            if (!dryRun) {
                store(p, () -> cursors.start(provider, p.since, p.until, now));
            }
        }
        LOG.info("{} catch-up{}: events created {} to {}{}", provider, dryRun ? " (dry run)" : "", p.since, p.until,
                resume ? ", continuing after " + p.after : "");
        boolean more = true;
        while (more) {
            StripeCollection<Event> page = list(p);
            p.pages++;
            JsonNode data = data(page, p);
            for (JsonNode event : data) {
                handle(event, p);
            }
            more = Boolean.TRUE.equals(page.getHasMore()) && data.size() > 0;
        }
        if (!dryRun) {
            store(p, () -> cursors.finish(provider, clock.instant()));
            p.cursor = store(p, () -> cursors.find(provider)).orElse(null);
        }
        CatchUpResult result = p.result();
        LOG.info("{} catch-up{} finished: {} listed, {} applied, {} already processed, {} of unhandled types,"
                        + " {} pages, {} rate-limit waits", provider, dryRun ? " (dry run)" : "", result.listed(),
                result.applied(), result.alreadyProcessed(), result.skippedUnhandledType(), result.pages(),
                result.rateLimitWaits());
        return result;
    }

    private void handle(JsonNode event, Progress p) {
        String id = event.path("id").asText("");
        String type = event.path("type").asText("");
        if (id.isEmpty() || type.isEmpty() || !event.path("created").canConvertToLong()) {
            throw p.stop(CatchUpException.Reason.EVENT_FAILED, "Stripe listed an event without id, type or created"
                    + " time; nothing after it was applied", null);
        }
        Instant created = Instant.ofEpochSecond(event.path("created").asLong());
        p.listed++;
        CatchUpResult.Action action;
        if (p.dryRun) {
            action = !target.handles(type) ? CatchUpResult.Action.UNHANDLED_TYPE
                    : store(p, () -> target.store().state(provider, id))
                            .filter(s -> s != EventState.FAILED).isPresent()
                            ? CatchUpResult.Action.ALREADY_PROCESSED : CatchUpResult.Action.WOULD_APPLY;
        } else {
            action = apply(id, type, bytes(event), p);
        }
        p.count(action);
        p.items.add(new CatchUpResult.Item(id, type, created, action));
        p.after = id;
        if (!p.dryRun) {
            store(p, () -> cursors.progress(provider, id, clock.instant()));
        }
    }

    private CatchUpResult.Action apply(String id, String type, byte[] body, Progress p) {
        WebhookResult result = target.handle(provider, WebhookRequest.of(Map.of(), body));
        switch (result.status()) {
            case "processed", "queued" -> {
                return CatchUpResult.Action.APPLIED;
            }
            case "skipped", "in_progress" -> {
                return "unhandled_type".equals(result.reason()) ? CatchUpResult.Action.UNHANDLED_TYPE
                        : CatchUpResult.Action.ALREADY_PROCESSED;
            }
            case "unavailable" -> throw p.stop(CatchUpException.Reason.STORE_UNAVAILABLE, "the idempotency store"
                    + " could not be used while handling " + provider + " event " + id + " (" + type + "): fix the"
                    + " database and run again; the run continues from this event", null);
            default -> throw p.stop(CatchUpException.Reason.EVENT_FAILED, provider + " event " + id + " (" + type
                    + ") was not handled (" + result.status() + ": " + result.reason() + "); it keeps its state"
                    + " (see events show), and the next run continues from it", null);
        }
    }

    private StripeCollection<Event> list(Progress p) {
        EventListParams.Builder params = EventListParams.builder().setLimit((long) pageSize)
                .setCreated(EventListParams.Created.builder().setGte(p.since.getEpochSecond())
                        .setLte(p.until.getEpochSecond()).build());
        if (p.after != null) {
            params.setStartingAfter(p.after);
        }
        EventListParams built = params.build();
        int waits = 0;
        while (true) {
            try {
                return client.v1().events().list(built);
            } catch (StripeException e) {
                Integer status = e.getStatusCode();
                Duration asked = retryAfter == null ? null : retryAfter.takeRetryAfter().orElse(null);
                if (status == null || status != 429) {
                    throw p.stop(CatchUpException.Reason.PROVIDER_UNAVAILABLE, "Stripe answered "
                            + (status == null ? "nothing" : "HTTP " + status) + (e.getCode() == null ? ""
                            : " (" + e.getCode() + ")") + " while listing events: check the API key ("
                            + keyMasked + ") and the network, then run again; the run continues from its cursor", e);
                }
                if (waits >= maxRateLimitWaits) {
                    throw p.stop(CatchUpException.Reason.RATE_LIMITED, "Stripe answered 429 (rate limited) "
                            + (waits + 1) + " times in a row while listing events: run again later; the run"
                            + " continues from its cursor", e);
                }
                waits++;
                p.rateLimitWaits++;
                sleep(backoff(waits, asked), p);
            }
        }
    }

    private Duration backoff(int wait, @Nullable Duration asked) {
        if (asked != null) {
            return asked.compareTo(maxBackoff) > 0 ? maxBackoff : asked;
        }
        Duration d = initialBackoff.multipliedBy(1L << Math.min(wait - 1, 20));
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private void sleep(Duration d, Progress p) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw p.stop(CatchUpException.Reason.RATE_LIMITED, "interrupted while waiting out a 429 from Stripe;"
                    + " the run continues from its cursor", e);
        }
    }

    private JsonNode data(StripeCollection<Event> page, Progress p) {
        String body = page.getLastResponse() == null ? null : page.getLastResponse().body();
        try {
            JsonNode data = body == null ? null : JSON.readTree(body).get("data");
            if (data != null && data.isArray()) {
                return data;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw p.stop(CatchUpException.Reason.PROVIDER_UNAVAILABLE, "Stripe answered the events list with a body"
                + " that is not a list of events; nothing of that page was applied", null);
    }

    private static byte[] bytes(JsonNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON event could not be written again", e);
        }
    }

    private interface StoreCall<T> {
        T call();
    }

    private <T> T store(Progress p, StoreCall<T> call) {
        try {
            return call.call();
        } catch (IdempotencyStoreException e) {
            throw p.stop(CatchUpException.Reason.STORE_UNAVAILABLE, "the database could not be used during the "
                    + provider + " catch-up: fix it and run again; the run continues from its cursor", e);
        }
    }

    private void store(Progress p, Runnable call) {
        store(p, () -> {
            call.run();
            return null;
        });
    }

    /** The counts of one run. */
    private final class Progress {
        private final boolean dryRun;
        private final boolean resumed;
        private final Instant since;
        private final Instant until;
        private @Nullable String after;
        private @Nullable CatchUpCursor cursor;
        private final List<CatchUpResult.Item> items = new ArrayList<>();
        private int listed;
        private int applied;
        private int alreadyProcessed;
        private int unhandled;
        private int pages;
        private int rateLimitWaits;

        Progress(boolean dryRun, boolean resumed, Instant since, Instant until, @Nullable String after,
                 @Nullable CatchUpCursor cursor) {
            this.dryRun = dryRun;
            this.resumed = resumed;
            this.since = since;
            this.until = until;
            this.after = after;
            this.cursor = cursor;
        }

        void count(CatchUpResult.Action action) {
            switch (action) {
                case APPLIED, WOULD_APPLY -> applied++;
                case ALREADY_PROCESSED -> alreadyProcessed++;
                case UNHANDLED_TYPE -> unhandled++;
            }
        }

        CatchUpResult result() {
            return new CatchUpResult(provider, dryRun, resumed, since, until, listed, applied, alreadyProcessed,
                    unhandled, pages, rateLimitWaits, cursor, items);
        }

        CatchUpException stop(CatchUpException.Reason reason, String message, @Nullable Throwable cause) {
            if (!dryRun) {
                try {
                    cursor = cursors.find(provider).orElse(cursor);
                } catch (IdempotencyStoreException e) {
                    // the cursor as last known
                }
            }
            LOG.warn("{} catch-up stopped ({}): {}", provider, reason, message);
            return new CatchUpException(reason, message, result(), cause);
        }
    }

    /** Names the provider and the key in its masked form only. */
    @Override
    public String toString() {
        return "StripeCatchUp[" + provider + ", " + keyMasked + "]";
    }

    /**
     * Configures a {@link StripeCatchUp}; {@link #build()} checks every setting and reports all problems at once.
     */
    public static final class Builder {

        private final List<String> problems = new ArrayList<>();
        private @Nullable Secret apiKey;
        private URI apiBase = DEFAULT_API_BASE;
        private boolean apiBaseSet;
        private @Nullable StripeClient client;
        private @Nullable WebhookPipeline pipeline;
        private @Nullable AsyncWebhookPipeline asyncPipeline;
        private String provider = "stripe";
        private @Nullable DataSource dataSource;
        private @Nullable Clock clock;
        private Duration safetyWindow = DEFAULT_SAFETY_WINDOW;
        private int pageSize = MAX_PAGE_SIZE;
        private int maxRateLimitWaits = DEFAULT_MAX_RATE_LIMIT_WAITS;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

        private Builder() {
        }

        /**
         * Sets the Stripe API key: a restricted key with read access to Events is enough. Or give a
         * {@linkplain #client(StripeClient) client}.
         *
         * @param apiKey the key (only its masked form is ever printed)
         * @return this builder
         */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * Sets the API base for the {@linkplain #apiKey(Secret) key} (default {@code https://api.stripe.com}),
         * for a proxy or a test double; only this instance's client uses it, never stripe-java's global one.
         *
         * @param apiBase an absolute {@code http} or {@code https} URI without a path
         * @return this builder
         */
        public Builder apiBase(URI apiBase) {
            this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
            this.apiBaseSet = true;
            return this;
        }

        /**
         * Uses a client configured elsewhere instead of a key (its own network retries apply; the
         * {@code Retry-After} header is then not read, the backoff decides alone).
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(StripeClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Feeds events to a synchronous pipeline: each is handled during the run.
         *
         * @param pipeline the service's pipeline, with a verifier for the {@linkplain #provider(String) provider}
         * @return this builder
         */
        public Builder pipeline(WebhookPipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /**
         * Feeds events to an asynchronous pipeline: each is stored as pending for its workers.
         *
         * @param pipeline the service's pipeline, with a verifier for the {@linkplain #provider(String) provider}
         * @return this builder
         */
        public Builder pipeline(AsyncWebhookPipeline pipeline) {
            this.asyncPipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /**
         * Sets the provider name events are handled under (default {@code stripe}): the name of the pipeline's
         * Stripe verifier, so that caught-up events and deliveries share their idempotency keys.
         *
         * @param provider the provider name
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Sets the database of the cursor (migration {@code V5__catch_up_cursors.sql}). Default: the pipeline's
         * {@link PostgresIdempotencyStore}'s.
         *
         * @param dataSource the database
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Sets the clock for windows, the 30-day bound and the lag. Default: the pipeline's
         * {@link PostgresIdempotencyStore}'s clock, else the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how far before the last caught-up time (or the newest processed event) {@link #catchUp()} starts
         * (default 1 hour): events created just before it may have been delivered late.
         *
         * @param safetyWindow zero or positive
         * @return this builder
         */
        public Builder safetyWindow(Duration safetyWindow) {
            this.safetyWindow = Objects.requireNonNull(safetyWindow, "safetyWindow");
            return this;
        }

        /**
         * Sets how many events one list call asks for (default and at most 100).
         *
         * @param pageSize 1 to 100
         * @return this builder
         */
        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /**
         * Sets how 429 answers are waited out: {@code initial × 2^(wait-1)} (or Stripe's {@code Retry-After}),
         * at most {@code max}, at most {@code maxWaits} times for one call (default 6 waits, 1 s, 30 s).
         *
         * @param maxWaits zero or more
         * @param initial the first wait, positive
         * @param max the longest wait, at least {@code initial}
         * @return this builder
         */
        public Builder rateLimitBackoff(int maxWaits, Duration initial, Duration max) {
            this.maxRateLimitWaits = maxWaits;
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Replaces {@link Thread#sleep} for rate-limit waits (tests record the waits instead). */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Builds the catch-up.
         *
         * @return the catch-up
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public StripeCatchUp build() {
            List<String> all = new ArrayList<>(problems);
            if (apiKey == null && client == null) {
                all.add("no API key was set: apiKey(Secret.of(…)) (a restricted key with Events read access), or"
                        + " client(StripeClient)");
            }
            if (apiKey != null && client != null) {
                all.add("both an API key and a client were given: give one");
            }
            if (client != null && apiBaseSet) {
                all.add("apiBase applies to the key's client only: set the base on the given StripeClient");
            }
            if (!"http".equals(apiBase.getScheme()) && !"https".equals(apiBase.getScheme())
                    || apiBase.getHost() == null) {
                all.add("apiBase must be an absolute http(s) URI, but was " + apiBase);
            }
            if (pipeline == null && asyncPipeline == null) {
                all.add("no pipeline was set: pipeline(webhookPipeline) or pipeline(asyncWebhookPipeline)");
            }
            if (pipeline != null && asyncPipeline != null) {
                all.add("both a synchronous and an asynchronous pipeline were given: give one");
            }
            if (provider.isEmpty() || provider.length() > 100) {
                all.add("provider must have 1 to 100 characters, but had " + provider.length());
            } else if (pipeline != null && !pipeline.knowsProvider(provider)
                    || asyncPipeline != null && !asyncPipeline.knowsProvider(provider)) {
                all.add("the pipeline has no verifier for provider '" + provider + "': name the Stripe verifier's"
                        + " provider");
            }
            IdempotencyStore store = pipeline != null ? pipeline.store()
                    : asyncPipeline != null ? asyncPipeline.store() : null;
            if (dataSource == null && store != null && !(store instanceof PostgresIdempotencyStore)) {
                all.add("the cursor needs PostgreSQL: set dataSource(…) (the pipeline's store is "
                        + store.getClass().getSimpleName() + ")");
            }
            if (safetyWindow.isNegative()) {
                all.add("safetyWindow must be zero or positive, but was " + safetyWindow);
            }
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                all.add("pageSize must be 1 to " + MAX_PAGE_SIZE + ", but was " + pageSize);
            }
            if (maxRateLimitWaits < 0) {
                all.add("rateLimitBackoff maxWaits must be zero or more, but was " + maxRateLimitWaits);
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero()) {
                all.add("rateLimitBackoff initial must be positive, but was " + initialBackoff);
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                all.add("rateLimitBackoff max must be at least initial (" + initialBackoff + "), but was "
                        + maxBackoff);
            }
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("invalid Stripe catch-up configuration: " + String.join("; ", all));
            }
            RetryAfterRecorder recorder = null;
            StripeClient stripe = client;
            if (stripe == null) {
                recorder = new RetryAfterRecorder();
                String base = apiBase.toString();
                stripe = StripeClient.builder().setApiKey(Objects.requireNonNull(apiKey).reveal())
                        .setApiBase(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                        .setMaxNetworkRetries(0).setHttpClient(recorder).build();
            }
            Target target = target();
            DataSource cursorDb = dataSource != null ? dataSource
                    : ((PostgresIdempotencyStore) Objects.requireNonNull(store)).dataSource();
            Clock effective = clock != null ? clock
                    : store instanceof PostgresIdempotencyStore pg ? pg.clock() : Clock.systemUTC();
            return new StripeCatchUp(this, stripe, recorder, target, cursorDb, effective);
        }

        private Target target() {
            WebhookPipeline sync = pipeline;
            if (sync != null) {
                return new Target() {
                    @Override
                    public WebhookResult handle(String provider, WebhookRequest request) {
                        return sync.handleFetched(provider, request);
                    }

                    @Override
                    public boolean handles(String eventType) {
                        return sync.handles(eventType);
                    }

                    @Override
                    public IdempotencyStore store() {
                        return sync.store();
                    }
                };
            }
            AsyncWebhookPipeline async = Objects.requireNonNull(asyncPipeline);
            return new Target() {
                @Override
                public WebhookResult handle(String provider, WebhookRequest request) {
                    return async.handleFetched(provider, request);
                }

                @Override
                public boolean handles(String eventType) {
                    return async.handles(eventType);
                }

                @Override
                public IdempotencyStore store() {
                    return async.store();
                }
            };
        }
    }
}
