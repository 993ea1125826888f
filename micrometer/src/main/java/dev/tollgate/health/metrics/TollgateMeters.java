package dev.tollgate.health.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue of every meter Tollgate modules register, with Micrometer names (lower-case, dotted) and
 * low-cardinality tags. Tenant, user and subject ids are never tags: per-tenant questions are answered by
 * the database, not by metrics. The shipped Grafana dashboard and Prometheus alert rules
 * ({@code dev/tollgate/health/observability/}) query only these meters (a test proves it).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #WEBHOOK_EVENTS}</td><td>counter</td><td>provider, type, outcome</td></tr>
 *   <tr><td>{@value #WEBHOOK_VERIFICATION_FAILURES}</td><td>counter</td><td>provider, reason</td></tr>
 *   <tr><td>{@value #WEBHOOK_PROCESSING}</td><td>timer</td><td>provider, outcome</td></tr>
 *   <tr><td>{@value #WEBHOOK_DEAD_LETTERS}</td><td>counter</td><td>provider</td></tr>
 *   <tr><td>{@value #GATE_DECISIONS}</td><td>counter</td><td>outcome, status</td></tr>
 *   <tr><td>{@value #GATE_CACHE_SIZE}</td><td>gauge</td><td>(none)</td></tr>
 *   <tr><td>{@value #GATE_CACHE_EVICTIONS}</td><td>function counter</td><td>(none)</td></tr>
 *   <tr><td>{@value #CONSENT_WRITES}</td><td>counter</td><td>action</td></tr>
 *   <tr><td>{@value #LEGAL_ACCEPTANCES}</td><td>counter</td><td>document</td></tr>
 *   <tr><td>{@value #HEALTH_CHECK}</td><td>timer</td><td>contributor, status</td></tr>
 *   <tr><td>{@value #HEALTH_READY}</td><td>gauge</td><td>(none)</td></tr>
 *   <tr><td>{@value #BACKUP_AGE}</td><td>gauge</td><td>(none)</td></tr>
 *   <tr><td>{@value #WEBHOOK_OLDEST_EVENT_AGE}</td><td>gauge</td><td>state</td></tr>
 *   <tr><td>{@value #WEBHOOK_DEAD_LETTERS_OPEN}</td><td>gauge</td><td>(none)</td></tr>
 *   <tr><td>{@value #WEBHOOK_CATCHUP_LAG}</td><td>gauge</td><td>provider</td></tr>
 * </table>
 *
 * <p>HikariCP publishes its own pool meters ({@code hikaricp.connections.*}) when given a registry with
 * {@code HikariDataSource.setMetricRegistry(meterRegistry)}; {@link #HIKARI} lists the ones the dashboard
 * shows.
 */
public final class TollgateMeters {

    /** Webhook deliveries by provider, event type and outcome. */
    public static final String WEBHOOK_EVENTS = "tollgate.webhook.events";
    /** Webhook deliveries refused before processing (bad signature, stale timestamp, malformed body). */
    public static final String WEBHOOK_VERIFICATION_FAILURES = "tollgate.webhook.verification.failures";
    /** Time from a verified delivery to its handler's completion. */
    public static final String WEBHOOK_PROCESSING = "tollgate.webhook.processing";
    /** Events moved to the dead-letter queue after the last attempt. */
    public static final String WEBHOOK_DEAD_LETTERS = "tollgate.webhook.dead_letters";
    /** Billing gate decisions by outcome and billing status. */
    public static final String GATE_DECISIONS = "tollgate.gate.decisions";
    /** Gauge: tenants in the billing gate's cache now (bounded by its maximum size). */
    public static final String GATE_CACHE_SIZE = "tollgate.gate.cache.size";
    /** Tenants the billing gate's cache evicted because of its size bound. */
    public static final String GATE_CACHE_EVICTIONS = "tollgate.gate.cache.evictions";
    /** Consent records written. */
    public static final String CONSENT_WRITES = "tollgate.consent.writes";
    /** Legal document acceptances recorded. */
    public static final String LEGAL_ACCEPTANCES = "tollgate.legal.acceptances";
    /** Health contributor check durations. */
    public static final String HEALTH_CHECK = "tollgate.health.check";
    /** 1 when the last readiness probe was ready, else 0. */
    public static final String HEALTH_READY = "tollgate.health.ready";
    /** Gauge: seconds since the newest backup, {@code +Inf} when none is known. */
    public static final String BACKUP_AGE = "tollgate.backup.age.seconds";
    /**
     * Gauge: seconds since the oldest event waiting for an attempt was received, by {@link #TAG_STATE}
     * ({@code pending}: its first attempt, {@code failed}: a retry); 0 when none waits.
     */
    public static final String WEBHOOK_OLDEST_EVENT_AGE = "tollgate.webhook.oldest_event.age.seconds";
    /** Gauge: dead letters not re-driven yet (rows of {@code webhooks.dead_letter_queue} still open). */
    public static final String WEBHOOK_DEAD_LETTERS_OPEN = "tollgate.webhook.dead_letters.open";
    /**
     * Gauge: seconds since the time up to which a finished Stripe catch-up has seen every event
     * ({@code StripeCatchUp#lag()}); no value until one finished.
     */
    public static final String WEBHOOK_CATCHUP_LAG = "tollgate.webhook.catchup.lag.seconds";

    /** Tag: {@code stripe}, {@code revenuecat}, {@code standard}, or {@code other} for any other name. */
    public static final String TAG_PROVIDER = "provider";
    /** Tag: the provider's event type ({@code invoice.paid}); bounded by the provider's catalogue. */
    public static final String TAG_TYPE = "type";
    /** Tag: what happened. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: why a delivery was refused. */
    public static final String TAG_REASON = "reason";
    /** Tag: a billing status or a health status. */
    public static final String TAG_STATUS = "status";
    /** Tag: consent {@code grant} or {@code withdraw}. */
    public static final String TAG_ACTION = "action";
    /** Tag: legal document kind. */
    public static final String TAG_DOCUMENT = "document";
    /** Tag: health contributor name. */
    public static final String TAG_CONTRIBUTOR = "contributor";
    /** Tag: the state of the events measured, {@code pending} or {@code failed}. */
    public static final String TAG_STATE = "state";

    private static final Set<String> PROVIDERS = Set.of("stripe", "revenuecat", "standard", "other");
    private static final Set<String> OPEN = Set.of();

    /** Every Tollgate meter. */
    public static final List<MeterDefinition> ALL = List.of(
            new MeterDefinition(WEBHOOK_EVENTS, MeterType.COUNTER, tags(
                    TAG_PROVIDER, PROVIDERS, TAG_TYPE, OPEN,
                    TAG_OUTCOME, Set.of("processed", "duplicate", "in_progress", "failed", "dead", "rejected")),
                    "webhook deliveries that passed verification, by outcome"),
            new MeterDefinition(WEBHOOK_VERIFICATION_FAILURES, MeterType.COUNTER, tags(
                    TAG_PROVIDER, PROVIDERS,
                    TAG_REASON, Set.of("missing_signature", "invalid_signature", "timestamp_outside_tolerance",
                            "malformed_header", "malformed_body", "unknown_provider", "body_too_large", "other")),
                    "webhook deliveries refused before processing"),
            new MeterDefinition(WEBHOOK_PROCESSING, MeterType.TIMER, tags(
                    TAG_PROVIDER, PROVIDERS, TAG_OUTCOME, Set.of("processed", "failed")),
                    "handler time of verified webhook deliveries"),
            new MeterDefinition(WEBHOOK_DEAD_LETTERS, MeterType.COUNTER, tags(TAG_PROVIDER, PROVIDERS),
                    "events dead-lettered after their last attempt"),
            new MeterDefinition(GATE_DECISIONS, MeterType.COUNTER, tags(
                    TAG_OUTCOME, Set.of("allowed", "blocked", "report_only"),
                    TAG_STATUS, Set.of("active", "trialing", "past_due", "unpaid", "canceled", "incomplete",
                            "incomplete_expired", "paused", "expired", "grace", "none")),
                    "billing gate decisions; blocked ones answered HTTP 402"),
            new MeterDefinition(CONSENT_WRITES, MeterType.COUNTER, tags(TAG_ACTION, Set.of("grant", "withdraw")),
                    "consent records appended"),
            new MeterDefinition(LEGAL_ACCEPTANCES, MeterType.COUNTER, tags(
                    TAG_DOCUMENT, Set.of("terms", "privacy", "imprint", "dpa", "other")),
                    "legal document acceptances recorded"),
            new MeterDefinition(HEALTH_CHECK, MeterType.TIMER, tags(
                    TAG_CONTRIBUTOR, OPEN, TAG_STATUS, Set.of("UP", "DOWN", "OUT_OF_SERVICE", "UNKNOWN")),
                    "duration of each health contributor's check"),
            new MeterDefinition(HEALTH_READY, MeterType.GAUGE, Map.of(),
                    "1 when the last readiness probe found every critical contributor available, else 0"),
            new MeterDefinition(BACKUP_AGE, MeterType.GAUGE, Map.of(),
                    "seconds since the newest backup; +Inf when none is known"),
            new MeterDefinition(WEBHOOK_OLDEST_EVENT_AGE, MeterType.GAUGE, tags(
                    TAG_STATE, Set.of("pending", "failed")),
                    "seconds since the oldest event waiting for an attempt was received; 0 when none"),
            new MeterDefinition(WEBHOOK_DEAD_LETTERS_OPEN, MeterType.GAUGE, Map.of(),
                    "dead letters not re-driven yet"),
            new MeterDefinition(WEBHOOK_CATCHUP_LAG, MeterType.GAUGE, tags(TAG_PROVIDER, PROVIDERS),
                    "seconds since the time up to which a finished catch-up has seen every provider event"));

    /** HikariCP's own meters that the shipped dashboard shows (tag {@code pool}). */
    public static final List<MeterDefinition> HIKARI = List.of(
            new MeterDefinition("hikaricp.connections.active", MeterType.GAUGE, Map.of("pool", OPEN),
                    "connections in use"),
            new MeterDefinition("hikaricp.connections.idle", MeterType.GAUGE, Map.of("pool", OPEN),
                    "idle connections"),
            new MeterDefinition("hikaricp.connections.pending", MeterType.GAUGE, Map.of("pool", OPEN),
                    "threads waiting for a connection"),
            new MeterDefinition("hikaricp.connections.max", MeterType.GAUGE, Map.of("pool", OPEN),
                    "the pool's maximum size"));

    private TollgateMeters() {
    }

    /**
     * Finds the meter (Tollgate's or the listed HikariCP ones) that publishes a Prometheus series.
     *
     * @param prometheusName a series name such as {@code tollgate_webhook_events_total}
     * @return the meter, if any
     */
    public static Optional<MeterDefinition> forPrometheusName(String prometheusName) {
        return java.util.stream.Stream.concat(ALL.stream(), HIKARI.stream())
                .filter(m -> m.prometheusNames().contains(prometheusName)).findFirst();
    }

    private static Map<String, Set<String>> tags(Object... pairs) {
        Map<String, Set<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            Set<String> values = (Set<String>) pairs[i + 1];
            map.put((String) pairs[i], values);
        }
        return map;
    }
}
