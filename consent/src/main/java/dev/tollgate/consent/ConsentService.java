package dev.tollgate.consent;

import dev.tollgate.Secret;
import dev.tollgate.consent.internal.ConsentJson;
import dev.tollgate.internal.appendonly.Fingerprints;
import dev.tollgate.integrity.IntegrityReport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consent entry point: publish policy versions, record decisions ("only necessary", "accept all",
 * custom), withdraw (a new record, as easy as granting), answer "is this purpose granted?" and "must this
 * subject be asked again?", and export a subject's history as JSON.
 *
 * <pre>{@code
 * ConsentService consent = ConsentService.builder()
 *         .repository(new PostgresConsentRepository(dataSource))
 *         .clock(Clock.systemUTC())
 *         .fingerprintKey(Secret.of(System.getenv("TOLLGATE_FINGERPRINT_KEY")))
 *         .build();
 * consent.record(ConsentDecision.builder().subjectId(id).policyVersion("2.0").onlyNecessary().source("banner").build());
 * consent.withdraw(id, "settings");
 * }</pre>
 *
 * <p><b>Current policy.</b> The highest version whose effective date is not after now. A subject
 * {@linkplain #needsReconsent(String) needs (re-)consent} when they never decided, or decided under an older
 * <em>major</em> version; a newer minor version does not ask again. Consent given under an older major version
 * no longer counts for {@link #isGranted(String, String)}.
 *
 * <p><b>Fingerprints.</b> An IP address or user agent in a decision is never stored: the service stores its
 * HMAC-SHA256 (hex) under the {@linkplain Builder#fingerprintKey(Secret) fingerprint key}. Without a key,
 * decisions that carry them are refused with {@link ConsentException.Reason#FINGERPRINT_KEY_MISSING}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConsentService {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentService.class);

    private final ConsentRepository repository;
    private final Clock clock;
    private final @Nullable Secret fingerprintKey;
    private final ConsentObserver observer;

    private ConsentService(ConsentRepository repository, Clock clock, @Nullable Secret fingerprintKey,
                           ConsentObserver observer) {
        this.repository = repository;
        this.clock = clock;
        this.fingerprintKey = fingerprintKey;
        this.observer = observer;
    }

    /** @return a builder; repository and clock are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes a policy version.
     *
     * @param policy the policy
     * @throws ConsentException {@link ConsentException.Reason#DUPLICATE_VERSION} if the version exists
     */
    public void publishPolicy(ConsentPolicy policy) {
        repository.publish(Objects.requireNonNull(policy, "policy"));
        LOG.info("tollgate.consent.policy.published version={} purposes={}", policy.version(),
                policy.purposes().stream().map(Purpose::id).toList());
    }

    /** @return the policy in effect now: the highest version whose effective date is not after now */
    public Optional<ConsentPolicy> currentPolicy() {
        Instant now = clock.instant();
        ConsentPolicy best = null;
        for (ConsentPolicy p : repository.policies()) { // oldest version first
            if (!p.effectiveAt().isAfter(now)) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * @param version a version such as {@code 2.0}
     * @return the policy, if published
     */
    public Optional<ConsentPolicy> policy(String version) {
        return repository.policy(PolicyVersion.parse(version));
    }

    /**
     * Records a decision against the policy version the subject was shown.
     *
     * @param decision the decision
     * @return the stored record; {@code withdrawal} is set when it refuses a purpose the previous decision granted
     * @throws ConsentException {@link ConsentException.Reason#UNKNOWN_POLICY_VERSION}, {@link ConsentException.Reason#UNKNOWN_PURPOSE},
     *     {@link ConsentException.Reason#POLICY_NOT_IN_EFFECT}, {@link ConsentException.Reason#INVALID_INPUT} (a necessary
     *     purpose refused), {@link ConsentException.Reason#FINGERPRINT_KEY_MISSING}; nothing is written then
     */
    public ConsentRecord record(ConsentDecision decision) {
        Objects.requireNonNull(decision, "decision");
        Instant now = clock.instant();
        ConsentPolicy policy = repository.policy(decision.policyVersion())
                .orElseThrow(() -> PostgresConsentRepository.unknownPolicy(decision.policyVersion()));
        if (policy.effectiveAt().isAfter(now)) {
            throw new ConsentException(ConsentException.Reason.POLICY_NOT_IN_EFFECT, "consent policy " + policy.version()
                    + " takes effect at " + policy.effectiveAt() + ": show the current policy instead");
        }
        Map<String, Boolean> purposes = purposesFor(policy, decision.choice(), decision.customPurposes());
        String ipHash = fingerprint(decision.ipAddress());
        String userAgentHash = fingerprint(decision.userAgent());
        boolean withdrawal = repository.latest(decision.subjectId())
                .map(previous -> withdraws(previous, purposes)).orElse(false);
        ConsentRecord stored = repository.append(new NewConsentRecord(decision.subjectId(), policy.version(),
                decision.choice(), purposes, withdrawal, decision.source(), now, ipHash, userAgentHash));
        LOG.info("tollgate.consent.recorded policy={} choice={} withdrawal={} source={}", policy.version(),
                decision.choice().code(), withdrawal, decision.source());
        observe(stored);
        return stored;
    }

    /**
     * Withdraws every optional purpose: records "only necessary" under the current policy, marked as a withdrawal.
     *
     * @param subjectId the subject
     * @param source where it was withdrawn, such as {@code settings}
     * @return the stored record
     * @throws ConsentException {@link ConsentException.Reason#POLICY_NOT_IN_EFFECT} when no policy is in effect
     */
    public ConsentRecord withdraw(String subjectId, String source) {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(source, "source");
        ConsentDecision.problems(subjectId, ConsentChoice.ONLY_NECESSARY, Map.of(), source, null, null);
        ConsentPolicy policy = requireCurrentPolicy();
        return appendWithdrawal(subjectId, policy, ConsentChoice.ONLY_NECESSARY,
                purposesFor(policy, ConsentChoice.ONLY_NECESSARY, Map.of()), source);
    }

    /**
     * Withdraws one purpose and keeps the others as they were (a custom record under the current policy).
     *
     * @param subjectId the subject
     * @param purposeId the purpose to withdraw
     * @param source where it was withdrawn
     * @return the stored record
     * @throws ConsentException {@link ConsentException.Reason#UNKNOWN_PURPOSE}, or {@link ConsentException.Reason#INVALID_INPUT}
     *     for a necessary purpose
     */
    public ConsentRecord withdraw(String subjectId, String purposeId, String source) {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(purposeId, "purposeId");
        Objects.requireNonNull(source, "source");
        ConsentDecision.problems(subjectId, ConsentChoice.CUSTOM, Map.of(purposeId, false), source, null, null);
        ConsentPolicy policy = requireCurrentPolicy();
        Purpose purpose = policy.purpose(purposeId).orElseThrow(() -> unknownPurposes(policy, List.of(purposeId)));
        if (purpose.necessary()) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT, "purpose '" + purposeId
                    + "' is necessary and cannot be withdrawn; delete the account instead");
        }
        Optional<ConsentRecord> latest = repository.latest(subjectId);
        Map<String, Boolean> custom = new TreeMap<>();
        for (Purpose p : policy.purposes()) {
            boolean kept = latest.filter(r -> !policy.version().isNewMajorOver(r.policyVersion()))
                    .map(r -> r.grants(p.id())).orElse(false);
            custom.put(p.id(), !p.id().equals(purposeId) && (p.necessary() || kept));
        }
        return appendWithdrawal(subjectId, policy, ConsentChoice.CUSTOM, custom, source);
    }

    private ConsentRecord appendWithdrawal(String subjectId, ConsentPolicy policy, ConsentChoice choice,
                                           Map<String, Boolean> purposes, String source) {
        ConsentRecord stored = repository.append(new NewConsentRecord(subjectId, policy.version(), choice, purposes,
                true, source, clock.instant(), null, null));
        LOG.info("tollgate.consent.withdrawn policy={} choice={} source={}", policy.version(), choice.code(), source);
        observe(stored);
        return stored;
    }

    /** Tells the observer; one that throws is logged and otherwise ignored. */
    private void observe(ConsentRecord stored) {
        try {
            observer.recorded(stored.choice(), stored.withdrawal());
        } catch (RuntimeException e) {
            LOG.warn("the consent observer {} failed (ignored)", observer.getClass().getName(), e);
        }
    }

    /**
     * @param subjectId the subject
     * @return the subject's most recent decision, whatever its policy version
     */
    public Optional<ConsentRecord> currentConsent(String subjectId) {
        return repository.latest(Objects.requireNonNull(subjectId, "subjectId"));
    }

    /**
     * Whether the subject's consent covers a purpose of the current policy now. Necessary purposes are always
     * granted; optional ones only when the latest decision granted them under the current major version.
     *
     * @param subjectId the subject
     * @param purposeId a purpose of the current policy
     * @return whether the purpose may be used for this subject
     * @throws ConsentException {@link ConsentException.Reason#UNKNOWN_PURPOSE} when the current policy has no such
     *     purpose, {@link ConsentException.Reason#POLICY_NOT_IN_EFFECT} when no policy is in effect
     */
    public boolean isGranted(String subjectId, String purposeId) {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(purposeId, "purposeId");
        ConsentPolicy policy = requireCurrentPolicy();
        Purpose purpose = policy.purpose(purposeId).orElseThrow(() -> unknownPurposes(policy, List.of(purposeId)));
        if (purpose.necessary()) {
            return true;
        }
        return repository.latest(subjectId)
                .filter(r -> !policy.version().isNewMajorOver(r.policyVersion()))
                .map(r -> r.grants(purposeId)).orElse(false);
    }

    /**
     * Whether the consent banner must be shown: a policy is in effect and the subject never decided, or decided
     * under an older major version. A newer minor version does not ask again.
     *
     * @param subjectId the subject
     * @return whether to ask for consent
     */
    public boolean needsReconsent(String subjectId) {
        Objects.requireNonNull(subjectId, "subjectId");
        Optional<ConsentPolicy> policy = currentPolicy();
        if (policy.isEmpty()) {
            return false;
        }
        return repository.latest(subjectId).map(r -> policy.get().version().isNewMajorOver(r.policyVersion()))
                .orElse(true);
    }

    /**
     * @param subjectId the subject
     * @return every decision of the subject, oldest first
     */
    public List<ConsentRecord> history(String subjectId) {
        return repository.history(Objects.requireNonNull(subjectId, "subjectId"));
    }

    /**
     * The subject's full consent history as JSON, for a data-subject access request (GDPR Art. 15/20): every
     * record, and every policy version the records refer to (purposes, effective date, text hash).
     *
     * @param subjectId the subject
     * @return a pretty-printed JSON object with {@code subject_id}, {@code exported_at}, {@code records},
     *     {@code policies}
     */
    public String exportJson(String subjectId) {
        Objects.requireNonNull(subjectId, "subjectId");
        List<ConsentRecord> history = repository.history(subjectId);
        List<Map<String, Object>> records = new ArrayList<>();
        TreeSet<PolicyVersion> versions = new TreeSet<>();
        for (ConsentRecord r : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("policy_version", r.policyVersion().toString());
            m.put("choice", r.choice().code());
            m.put("purposes", r.purposes());
            m.put("withdrawal", r.withdrawal());
            m.put("source", r.source());
            m.put("recorded_at", r.recordedAt().toString());
            m.put("ip_hash", r.ipHash());
            m.put("user_agent_hash", r.userAgentHash());
            records.add(m);
            versions.add(r.policyVersion());
        }
        List<Map<String, Object>> policies = new ArrayList<>();
        for (PolicyVersion v : versions) {
            repository.policy(v).ifPresent(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", p.version().toString());
                m.put("effective_at", p.effectiveAt().toString());
                m.put("text_sha256", p.textSha256());
                List<Map<String, Object>> purposes = new ArrayList<>();
                for (Purpose purpose : p.purposes()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("id", purpose.id());
                    pm.put("necessary", purpose.necessary());
                    pm.put("description", purpose.description());
                    purposes.add(pm);
                }
                m.put("purposes", purposes);
                policies.add(m);
            });
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("subject_id", subjectId);
        export.put("exported_at", clock.instant().toString());
        export.put("records", records);
        export.put("policies", policies);
        return ConsentJson.writePretty(export);
    }

    /**
     * Verifies the schema and every record against its policy.
     *
     * @return the report ({@code consent.verify_consent_schema()} on PostgreSQL)
     */
    public IntegrityReport verifyIntegrity() {
        return repository.verifyIntegrity();
    }

    private ConsentPolicy requireCurrentPolicy() {
        return currentPolicy().orElseThrow(() -> new ConsentException(ConsentException.Reason.POLICY_NOT_IN_EFFECT,
                "no consent policy is in effect: publish one with ConsentService.publishPolicy(…)"));
    }

    private static Map<String, Boolean> purposesFor(ConsentPolicy policy, ConsentChoice choice,
                                                    Map<String, Boolean> custom) {
        List<String> unknown = custom.keySet().stream().filter(id -> policy.purpose(id).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw unknownPurposes(policy, unknown);
        }
        List<String> refusedNecessary = new ArrayList<>();
        Map<String, Boolean> out = new TreeMap<>();
        for (Purpose p : policy.purposes()) {
            boolean granted = switch (choice) {
                case ACCEPT_ALL -> true;
                case ONLY_NECESSARY -> p.necessary();
                case CUSTOM -> p.necessary() || Boolean.TRUE.equals(custom.get(p.id()));
            };
            if (p.necessary() && Boolean.FALSE.equals(custom.get(p.id()))) {
                refusedNecessary.add(p.id());
            }
            out.put(p.id(), granted);
        }
        if (!refusedNecessary.isEmpty()) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT, "necessary purposes cannot be refused: "
                    + refusedNecessary + "; leave them out of a custom choice");
        }
        return out;
    }

    private static boolean withdraws(ConsentRecord previous, Map<String, Boolean> next) {
        return previous.purposes().entrySet().stream()
                .anyMatch(e -> e.getValue() && Boolean.FALSE.equals(next.get(e.getKey())));
    }

    private static ConsentException unknownPurposes(ConsentPolicy policy, List<String> ids) {
        return new ConsentException(ConsentException.Reason.UNKNOWN_PURPOSE, "consent policy " + policy.version()
                + " has no purpose " + ids.stream().map(ConsentException::abbreviate).toList() + "; its purposes are "
                + policy.purposes().stream().map(Purpose::id).toList());
    }

    private @Nullable String fingerprint(@Nullable String value) {
        return Fingerprints.of(fingerprintKey, value,
                () -> new ConsentException(ConsentException.Reason.FINGERPRINT_KEY_MISSING, "an IP address or user"
                        + " agent was given but no fingerprint key is configured: set"
                        + " ConsentService.builder().fingerprintKey(…) or leave them out"));
    }

    /** Builds a {@link ConsentService}; {@link #build()} names every missing setting at once. */
    public static final class Builder {
        private @Nullable ConsentRepository repository;
        private @Nullable Clock clock;
        private @Nullable Secret fingerprintKey;
        private ConsentObserver observer = ConsentObserver.NONE;

        private Builder() {
        }

        /**
         * The observer told every appended record, for metrics (default {@link ConsentObserver#NONE}). An
         * observer that throws is logged and ignored.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(ConsentObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * @param repository where policies and records are stored
         * @return this builder
         */
        public Builder repository(ConsentRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * @param clock the time source for records and "in effect now"
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param key the HMAC-SHA256 key for IP addresses and user agents
         * @return this builder
         */
        public Builder fingerprintKey(Secret key) {
            this.fingerprintKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * @return the service
         * @throws IllegalStateException naming every missing setting
         */
        public ConsentService build() {
            List<String> problems = new ArrayList<>();
            if (repository == null) {
                problems.add("repository is required (PostgresConsentRepository or InMemoryConsentRepository)");
            }
            if (clock == null) {
                problems.add("clock is required (Clock.systemUTC() in production)");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("invalid ConsentService configuration: " + String.join("; ", problems));
            }
            return new ConsentService(Objects.requireNonNull(repository), Objects.requireNonNull(clock), fingerprintKey,
                    observer);
        }
    }

    @Override
    public String toString() {
        return "ConsentService[" + repository + ", fingerprint key " + (fingerprintKey == null ? "none" : fingerprintKey)
                + "]";
    }
}
