package dev.tollgate.billing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a tenant may run an operation, from its billing state: the runbook's "set the tenant
 * to past_due, call a write API → 402".
 *
 * <pre>{@code
 * BillingGate gate = BillingGate.builder()
 *         .repository(new PostgresBillingRepository(dataSource))
 *         .environment(System.getenv())          // TOLLGATE_BILLING_ENFORCEMENT, TOLLGATE_PURCHASES_ENABLED
 *         .build();
 * BillingDecision decision = gate.check(tenantId, OperationClass.WRITE);   // for filters
 * gate.enforce(tenantId, OperationClass.WRITE);                            // throws PaymentRequiredException
 * }</pre>
 *
 * <p><b>Cache.</b> Each tenant's state is cached for {@link Builder#cacheTtl(Duration)} (default 10 s).
 * A cached check reads one map entry and the clock and returns a precomputed decision: no allocation,
 * no string building. Time-based rules (grace, ladders, paid period) are evaluated on every check, so
 * a cached state still changes its decision exactly at a boundary. A {@link PostgresBillingListener}
 * invalidates entries as soon as {@code billing.tenant_billing} changes; an
 * {@link InMemoryBillingRepository} does so directly.
 *
 * <p><b>Enforcement</b> ({@link EnforcementMode}) is read from configuration and the environment and
 * can be switched at runtime with {@link #setEnforcementMode(EnforcementMode)}. <b>Purchases kill
 * switch:</b> while {@linkplain #setPurchasesEnabled(boolean) off} (or
 * {@code TOLLGATE_PURCHASES_ENABLED=false}), {@link OperationClass#PURCHASE} is refused with 503
 * "Purchases temporarily unavailable", whatever the enforcement mode.
 *
 * <p>The cache holds at most {@link Builder#cacheMaximumSize(int)} tenants (default 100,000): ids a client
 * invents cannot grow the heap, and Caffeine's frequency-based admission keeps the tenants that are really
 * used when a flood of one-off ids arrives.
 *
 * <p>If the state cannot be read, the gate serves the last cached state, or else applies its
 * {@link FailMode}: allow by default ({@link FailMode#OPEN}, {@link BillingDecision.Reason#STATE_UNAVAILABLE}),
 * because a database hiccup must not lock paying customers out; or refuse with 503 ({@link FailMode#CLOSED}).
 *
 * <p>Thread-safe. Owns no threads.
 */
public final class BillingGate {

    /** The longest tenant id the gate looks up; a longer one, or one with control characters, is refused (400). */
    public static final int MAX_TENANT_ID_LENGTH = 255;

    /** Default {@linkplain Builder#cacheMaximumSize(int) bound} of the tenant cache. */
    public static final int DEFAULT_CACHE_MAXIMUM_SIZE = 100_000;

    /** The environment variable of the purchases kill switch: {@code true} (default) or {@code false}. */
    public static final String PURCHASES_ENABLED_VARIABLE = "TOLLGATE_PURCHASES_ENABLED";

    private static final Logger LOG = LoggerFactory.getLogger(BillingGate.class);

    /** A cached tenant: its state, the primitives the policy needs, and when the entry expires. */
    private static final class Entry {
        final TenantBilling state;
        final long sinceMillis;
        final long periodEndMillis;
        final long graceUntilMillis;
        final long expiresAtMillis;

        Entry(TenantBilling state, long expiresAtMillis) {
            this.state = state;
            this.sinceMillis = state.statusSince().toEpochMilli();
            this.periodEndMillis = GatingPolicy.millisOrMin(state.currentPeriodEnd());
            this.graceUntilMillis = GatingPolicy.millisOrMin(state.graceUntil());
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    private final BillingRepository repository;
    private final GatingPolicy policy;
    private final Clock clock;
    private final long ttlMillis;
    private final Duration ttl;
    private final Cache<String, Entry> cache;
    private final LongAdder evictions = new LongAdder();
    private final int cacheMaximumSize;
    private final FailMode failMode;
    private final AtomicLong invalidations = new AtomicLong();
    private final LongAdder reportedDenials = new LongAdder();
    private final BillingDecision[] offDecisions = new BillingDecision[OperationClass.MAX_CLASSES];
    private final BillingDecision[] unavailableDecisions = new BillingDecision[OperationClass.MAX_CLASSES];
    private final BillingDecision purchasesDisabled = BillingDecision.purchasesDisabled();
    private final GateObserver observer;
    private volatile EnforcementMode mode;
    private volatile boolean purchasesEnabled;
    private volatile @Nullable PostgresBillingListener listener;

    private BillingGate(Builder b, BillingRepository repository, EnforcementMode mode, boolean purchasesEnabled) {
        this.repository = repository;
        this.policy = b.policy;
        this.clock = b.clock;
        this.ttl = b.ttl;
        this.ttlMillis = b.ttl.toMillis();
        this.mode = mode;
        this.purchasesEnabled = purchasesEnabled;
        this.observer = b.observer;
        this.failMode = b.failMode;
        this.cacheMaximumSize = b.cacheMaximumSize;
        // No expiry here: an expired entry is still the last known state when the database cannot be read.
        this.cache = Caffeine.newBuilder().maximumSize(b.cacheMaximumSize).executor(Runnable::run)
                .evictionListener((String tenant, Entry entry, RemovalCause cause) -> evictions.increment())
                .build();
        if (repository instanceof InMemoryBillingRepository memory) {
            memory.addChangeListener(this::invalidate);
        }
    }

    /**
     * A builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides whether the tenant may run an operation of the class. Never throws for a denial.
     *
     * @param tenantId the tenant
     * @param operation the operation class
     * @return the decision; in report-only mode a denial comes back allowed with
     *     {@link BillingDecision#wouldDeny()} true
     */
    public BillingDecision check(String tenantId, OperationClass operation) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(operation, "operation");
        BillingDecision decision = decide(tenantId, operation);
        try {
            observer.decided(decision);
        } catch (RuntimeException e) {
            LOG.warn("the gate observer {} failed (ignored)", observer.getClass().getName(), e);
        }
        return decision;
    }

    private BillingDecision decide(String tenantId, OperationClass operation) {
        Entry entry = cache.getIfPresent(tenantId);
        // Only valid ids are ever cached: a cached check skips the scan of the id.
        if (entry == null && !validTenantId(tenantId)) {
            return BillingDecision.tenantInvalid(operation); // never looked up, never cached
        }
        if (operation == OperationClass.PURCHASE && !purchasesEnabled) {
            return purchasesDisabled;
        }
        EnforcementMode current = mode;
        if (current == EnforcementMode.OFF) {
            return offDecision(operation);
        }
        long now = clock.millis();
        if (entry == null || now >= entry.expiresAtMillis) {
            entry = load(tenantId, now, entry);
            if (entry == null) {
                return unavailableDecision(operation);
            }
        }
        BillingDecision decision = policy.decide(entry.state.status(), entry.sinceMillis, entry.periodEndMillis,
                entry.graceUntilMillis, operation, now);
        if (!decision.allowed() && current == EnforcementMode.REPORT_ONLY) {
            reportedDenials.increment();
            LOG.info("billing gate (report-only) would deny {} in status {}", operation,
                    entry.state.status().wireName());
            return decision.asReportOnly();
        }
        return decision;
    }

    /**
     * Like {@link #check(String, OperationClass)}, but throws on a denial.
     *
     * @param tenantId the tenant
     * @param operation the operation class
     * @return the (allowing) decision
     * @throws PaymentRequiredException when the operation is denied (402, or 503 for the kill switch)
     */
    public BillingDecision enforce(String tenantId, OperationClass operation) {
        BillingDecision decision = check(tenantId, operation);
        if (!decision.allowed()) {
            throw new PaymentRequiredException(decision);
        }
        return decision;
    }

    /**
     * The tenant's entitlements now.
     *
     * @param tenantId the tenant
     * @return the snapshot; its TTL is the gate's cache TTL
     */
    public EntitlementsSnapshot entitlements(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        Instant now = clock.instant();
        TenantBilling state = currentState(tenantId, now.toEpochMilli());
        boolean active = policy.decide(state, OperationClass.WRITE, now.toEpochMilli()).allowed();
        Instant expires = state.currentPeriodEnd();
        if (state.graceUntil() != null && (expires == null || state.graceUntil().isAfter(expires))
                && now.isBefore(state.graceUntil())) {
            expires = state.graceUntil();
        }
        Map<String, EntitlementsSnapshot.Entitlement> entitlements = new LinkedHashMap<>();
        for (String id : state.entitlementIds()) {
            entitlements.put(id, new EntitlementsSnapshot.Entitlement(active, expires));
        }
        return new EntitlementsSnapshot(entitlements, state.status(), now, ttl.toSeconds());
    }

    /**
     * The tenant's state as the gate sees it (cached).
     *
     * @param tenantId the tenant
     * @return the state, {@link TenantBilling#none(String)} when the tenant has none
     */
    public TenantBilling state(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return currentState(tenantId, clock.millis());
    }

    private TenantBilling currentState(String tenantId, long now) {
        Entry entry = cache.getIfPresent(tenantId);
        if (entry == null || now >= entry.expiresAtMillis) {
            entry = load(tenantId, now, entry);
        }
        return entry == null ? TenantBilling.none(tenantId) : entry.state;
    }

    private @Nullable Entry load(String tenantId, long now, @Nullable Entry stale) {
        long generation = invalidations.get();
        TenantBilling state;
        try {
            state = repository.find(tenantId).orElseGet(() -> TenantBilling.none(tenantId));
        } catch (BillingException e) {
            LOG.warn("billing gate could not read a tenant's billing state ({}); {}", e.getMessage(),
                    stale != null ? "serving the last known state" : "allowing (fail open)");
            if (stale == null) {
                return null;
            }
            Entry kept = new Entry(stale.state, now + ttlMillis);
            cache.put(tenantId, kept);
            return kept;
        }
        Entry entry = new Entry(state, now + ttlMillis);
        if (invalidations.get() == generation) {
            cache.put(tenantId, entry);
            if (invalidations.get() != generation) {
                cache.asMap().remove(tenantId, entry); // an invalidation raced with this load: do not keep it
            }
        }
        return entry;
    }

    /**
     * Whether the gate looks a tenant id up: 1 to {@link #MAX_TENANT_ID_LENGTH} characters, none of them a control
     * character. Adapters may call it to refuse with 400 before anything else.
     *
     * @param tenantId the id as the request carried it
     * @return true when valid
     */
    public static boolean validTenantId(String tenantId) {
        int length = tenantId.length();
        if (length == 0 || length > MAX_TENANT_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Character.isISOControl(tenantId.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private BillingDecision offDecision(OperationClass operation) {
        BillingDecision decision = offDecisions[operation.index()];
        if (decision == null) {
            decision = BillingDecision.allow(null, operation, BillingDecision.Reason.ENFORCEMENT_OFF);
            offDecisions[operation.index()] = decision;
        }
        return decision;
    }

    private BillingDecision unavailableDecision(OperationClass operation) {
        BillingDecision decision = unavailableDecisions[operation.index()];
        if (decision == null) {
            decision = failMode == FailMode.OPEN
                    ? BillingDecision.allow(null, operation, BillingDecision.Reason.STATE_UNAVAILABLE)
                    : BillingDecision.unavailableRefused(operation);
            unavailableDecisions[operation.index()] = decision;
        }
        return mode == EnforcementMode.REPORT_ONLY ? decision.asReportOnly() : decision;
    }

    /**
     * Drops a tenant's cached state: the next check reads it again.
     *
     * @param tenantId the tenant
     */
    public void invalidate(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        invalidations.incrementAndGet();
        cache.invalidate(tenantId);
    }

    /** Drops every cached state. */
    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.invalidateAll();
    }

    /**
     * Switches enforcement at runtime (takes effect on the next check).
     *
     * @param newMode the mode
     */
    public void setEnforcementMode(EnforcementMode newMode) {
        EnforcementMode old = mode;
        mode = Objects.requireNonNull(newMode, "newMode");
        if (old != newMode) {
            LOG.info("billing enforcement switched from {} to {}", old.configName(), newMode.configName());
        }
    }

    /**
     * The enforcement mode.
     *
     * @return the current mode
     */
    public EnforcementMode enforcementMode() {
        return mode;
    }

    /**
     * Switches the purchases kill switch at runtime.
     *
     * @param enabled false to refuse {@link OperationClass#PURCHASE} with 503
     */
    public void setPurchasesEnabled(boolean enabled) {
        if (purchasesEnabled != enabled) {
            LOG.warn("purchases {}", enabled ? "enabled" : "disabled by the kill switch");
        }
        purchasesEnabled = enabled;
    }

    /**
     * Whether purchases are enabled.
     *
     * @return false while the kill switch is off
     */
    public boolean purchasesEnabled() {
        return purchasesEnabled;
    }

    /**
     * The gate's health.
     *
     * @return the status
     */
    public GateStatus status() {
        PostgresBillingListener attached = listener;
        cache.cleanUp();
        return new GateStatus(mode, purchasesEnabled, ttl, (int) Math.min(Integer.MAX_VALUE, cache.estimatedSize()),
                reportedDenials.sum(), attached == null ? null : attached.status(), cacheMaximumSize, evictions.sum(),
                failMode);
    }

    void attach(PostgresBillingListener attached) {
        this.listener = attached;
    }

    @Override
    public String toString() {
        return "BillingGate[" + mode.configName() + ", ttl " + ttl + ", " + repository + "]";
    }

    /** Configures a {@link BillingGate}. */
    public static final class Builder {
        private @Nullable BillingRepository repository;
        private GatingPolicy policy = GatingPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofSeconds(10);
        private EnforcementMode mode = EnforcementMode.ON;
        private boolean purchasesEnabled = true;
        private Map<String, String> environment = Map.of();
        private GateObserver observer = GateObserver.NONE;
        private int cacheMaximumSize = DEFAULT_CACHE_MAXIMUM_SIZE;
        private FailMode failMode = FailMode.OPEN;
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * Where tenant states are read (required).
         *
         * @param repository the repository
         * @return this builder
         */
        public Builder repository(BillingRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * The policy (default {@link GatingPolicy#defaults()}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder policy(GatingPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The clock for cache expiry and time-based rules (default the system UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a tenant's state is cached (default 10 s; between 1 ms and 1 h). It bounds how long an
         * unnoticed change (a lost notification, a PgBouncer set-up) takes to be seen.
         *
         * @param ttl the time to live
         * @return this builder
         */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.toMillis() < 1 || ttl.compareTo(Duration.ofHours(1)) > 0) {
                problems.add("cacheTtl must be between 1 ms and 1 h, but was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * The enforcement mode from configuration (default {@code on}); the environment overrides it.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder enforcement(EnforcementMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether purchases are enabled (default true); the environment overrides it.
         *
         * @param enabled false to start with the kill switch off
         * @return this builder
         */
        public Builder purchasesEnabled(boolean enabled) {
            this.purchasesEnabled = enabled;
            return this;
        }

        /**
         * The environment to read {@code TOLLGATE_BILLING_ENFORCEMENT} and {@code TOLLGATE_PURCHASES_ENABLED}
         * from, usually {@code System.getenv()}; values there override the configured ones.
         *
         * @param environment the variables
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /**
         * The observer told every decision, for metrics (default {@link GateObserver#NONE}). An observer that
         * throws is logged and ignored.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(GateObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * The most tenants the cache holds (default 100,000; at least 1). Beyond it Caffeine evicts the tenants
         * least likely to be asked again, so ids a client invents cannot grow the heap.
         *
         * @param maximumSize the bound
         * @return this builder
         */
        public Builder cacheMaximumSize(int maximumSize) {
            if (maximumSize < 1) {
                problems.add("cacheMaximumSize must be at least 1, but was " + maximumSize);
            }
            this.cacheMaximumSize = maximumSize;
            return this;
        }

        /**
         * What to do when a tenant's state cannot be read and nothing is cached for it (default
         * {@link FailMode#OPEN}: allow).
         *
         * @param failMode open (allow) or closed (503)
         * @return this builder
         */
        public Builder failMode(FailMode failMode) {
            this.failMode = Objects.requireNonNull(failMode, "failMode");
            return this;
        }

        /**
         * Builds the gate.
         *
         * @return the gate
         * @throws BillingException with {@link BillingException.Reason#INVALID_CONFIGURATION} naming every problem
         */
        public BillingGate build() {
            List<String> all = new ArrayList<>(problems);
            if (repository == null) {
                all.add("repository is required (InMemoryBillingRepository or PostgresBillingRepository)");
            }
            EnforcementMode effectiveMode = mode;
            try {
                effectiveMode = EnforcementMode.fromEnvironment(environment, mode);
            } catch (BillingException e) {
                all.add(EnforcementMode.ENVIRONMENT_VARIABLE + ": " + e.getMessage());
            }
            boolean purchases = purchasesEnabled;
            String switchValue = environment.get(PURCHASES_ENABLED_VARIABLE);
            if (switchValue != null && !switchValue.isBlank()) {
                String value = switchValue.trim().toLowerCase(Locale.ROOT);
                if (value.equals("true") || value.equals("false")) {
                    purchases = value.equals("true");
                } else {
                    all.add(PURCHASES_ENABLED_VARIABLE + " must be true or false, but was '"
                            + (switchValue.length() > 20 ? switchValue.substring(0, 20) + "…" : switchValue) + "'");
                }
            }
            if (!all.isEmpty()) {
                throw new BillingException(BillingException.Reason.INVALID_CONFIGURATION,
                        "invalid BillingGate configuration: " + String.join("; ", all));
            }
            return new BillingGate(this, Objects.requireNonNull(repository), effectiveMode, purchases);
        }
    }
}
