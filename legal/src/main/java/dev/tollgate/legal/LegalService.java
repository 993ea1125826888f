package dev.tollgate.legal;

import dev.tollgate.Secret;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.internal.appendonly.Fingerprints;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legal-acceptance entry point: publish document versions, ask what a user must (re)accept now, record
 * acceptances (each with its audit row, in one transaction), and verify the records.
 *
 * <pre>{@code
 * LegalService legal = LegalService.builder()
 *         .repository(new PostgresLegalRepository(dataSource))
 *         .clock(Clock.systemUTC())
 *         .fingerprintKey(Secret.of(System.getenv("TOLLGATE_FINGERPRINT_KEY")))
 *         .build();
 * List<PendingAcceptance> pending = legal.pendingAcceptances("user-42");
 * AcceptanceRequest.Builder request = AcceptanceRequest.builder().userId("user-42").source("login");
 * pending.forEach(p -> request.document(p.document()));
 * legal.accept(request.build());
 * }</pre>
 *
 * <p><b>Which documents need acceptance.</b> Only the {@linkplain Builder#acceptanceKinds(DocumentKind...)
 * acceptance kinds} (default terms and privacy; an imprint is informational). For each, the current version is
 * the one with the latest effective date not after now. A user must accept it when they never accepted that
 * kind, or when a version published after the one they accepted, up to the current one, has
 * {@code requiresReacceptance} (a major change). Minor changes do not ask again.
 *
 * <p><b>Fingerprints.</b> An IP address or user agent in a request is never stored: the service stores its
 * HMAC-SHA256 under the {@linkplain Builder#fingerprintKey(Secret) fingerprint key} (hex). Keep the key
 * secret and stable; without a key, requests that carry an IP address or user agent are refused.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LegalService {

    private static final Logger LOG = LoggerFactory.getLogger(LegalService.class);

    private final LegalRepository repository;
    private final Clock clock;
    private final @Nullable Secret fingerprintKey;
    private final List<DocumentKind> acceptanceKinds;
    private final LegalObserver observer;

    private LegalService(LegalRepository repository, Clock clock, @Nullable Secret fingerprintKey,
                         List<DocumentKind> acceptanceKinds, LegalObserver observer) {
        this.repository = repository;
        this.clock = clock;
        this.fingerprintKey = fingerprintKey;
        this.acceptanceKinds = acceptanceKinds;
        this.observer = observer;
    }

    /** @return a builder; repository and clock are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes a new document version.
     *
     * @param document the document
     * @throws LegalException {@link LegalException.Reason#DUPLICATE_VERSION} if that version exists
     */
    public void publish(LegalDocument document) {
        repository.publish(Objects.requireNonNull(document, "document"));
        LOG.info("tollgate.legal.document.published kind={} version={} requires_reacceptance={}",
                document.kind(), document.version(), document.requiresReacceptance());
    }

    /**
     * The version of a kind in effect now: the latest effective date not after the clock's now.
     *
     * @param kind the kind
     * @return the current document, or empty when no version is in effect yet
     */
    public Optional<LegalDocument> currentDocument(DocumentKind kind) {
        return current(repository.versions(Objects.requireNonNull(kind, "kind")), clock.instant());
    }

    /**
     * The current version of every published kind, by kind name; for page rendering.
     *
     * @return the documents in effect now
     */
    public List<LegalDocument> currentDocuments() {
        Instant now = clock.instant();
        List<LegalDocument> out = new ArrayList<>();
        for (DocumentKind kind : repository.kinds()) {
            current(repository.versions(kind), now).ifPresent(out::add);
        }
        return out;
    }

    /**
     * @param kind the kind
     * @param version the version
     * @return the document, if published
     */
    public Optional<LegalDocument> document(DocumentKind kind, String version) {
        return repository.find(kind, version);
    }

    /**
     * What this user must accept now, in the order of the acceptance kinds.
     *
     * @param userId the user
     * @return the documents to accept; empty when everything needed is accepted
     */
    public List<PendingAcceptance> pendingAcceptances(String userId) {
        Objects.requireNonNull(userId, "userId");
        Instant now = clock.instant();
        List<Acceptance> accepted = repository.acceptances(userId);
        List<PendingAcceptance> pending = new ArrayList<>();
        for (DocumentKind kind : acceptanceKinds) {
            List<LegalDocument> versions = repository.versions(kind);
            Optional<LegalDocument> current = current(versions, now);
            if (current.isEmpty()) {
                continue;
            }
            Optional<Acceptance> latest = accepted.stream().filter(a -> a.kind().equals(kind))
                    .max(Comparator.comparing(Acceptance::acceptedAt).thenComparing(Acceptance::id));
            if (latest.isEmpty()) {
                pending.add(new PendingAcceptance(current.get(), PendingAcceptance.Reason.NOT_ACCEPTED, null));
                continue;
            }
            String acceptedVersion = latest.get().version();
            int acceptedIndex = indexOf(versions, acceptedVersion);
            int currentIndex = versions.indexOf(current.get());
            boolean major = false;
            for (int i = acceptedIndex + 1; i <= currentIndex; i++) {
                major |= versions.get(i).requiresReacceptance();
            }
            if (major) {
                pending.add(new PendingAcceptance(current.get(), PendingAcceptance.Reason.REACCEPTANCE_REQUIRED,
                        acceptedVersion));
            }
        }
        return pending;
    }

    /**
     * Records the acceptance of one or more document versions, each with its audit row, in one transaction.
     *
     * @param request what was accepted
     * @return the stored acceptances, in request order
     * @throws LegalException {@link LegalException.Reason#UNKNOWN_DOCUMENT}, {@link LegalException.Reason#DOCUMENT_CHANGED},
     *     {@link LegalException.Reason#FINGERPRINT_KEY_MISSING}; nothing is stored then
     */
    public List<Acceptance> accept(AcceptanceRequest request) {
        Objects.requireNonNull(request, "request");
        String ipHash = fingerprint(request.ipAddress());
        String userAgentHash = fingerprint(request.userAgent());
        Instant now = clock.instant();
        List<NewAcceptance> batch = new ArrayList<>();
        for (AcceptanceRequest.DocumentToAccept document : request.documents()) {
            batch.add(new NewAcceptance(request.userId(), document.kind(), document.version(), document.shownSha256(),
                    now, request.source(), ipHash, userAgentHash));
        }
        List<Acceptance> stored = repository.record(batch);
        LOG.info("tollgate.legal.accepted documents={} source={}",
                stored.stream().map(a -> a.kind() + ":" + a.version()).toList(), request.source());
        for (Acceptance acceptance : stored) {
            try {
                observer.accepted(acceptance.kind(), acceptance.version());
            } catch (RuntimeException e) {
                LOG.warn("the legal observer {} failed (ignored)", observer.getClass().getName(), e);
            }
        }
        return stored;
    }

    /**
     * @param userId the user
     * @return the user's acceptances, oldest first
     */
    public List<Acceptance> acceptances(String userId) {
        return repository.acceptances(Objects.requireNonNull(userId, "userId"));
    }

    /**
     * Verifies documents, acceptances and the audit chain.
     *
     * @return the report ({@code legal.verify_legal_acceptance_integrity()} on PostgreSQL)
     */
    public IntegrityReport verifyIntegrity() {
        return repository.verifyIntegrity();
    }

    /**
     * Exports the current head of the audit chain. Store it outside the database; a later
     * {@link #verifyCheckpoint(AuditChainCheckpoint)} detects deletion of the newest rows, which the chain
     * alone cannot.
     *
     * @return the checkpoint, stamped with the clock's now
     */
    public AuditChainCheckpoint checkpoint() {
        return repository.checkpoint(clock.instant());
    }

    /**
     * @param checkpoint a checkpoint exported earlier
     * @return a report whose {@code audit_checkpoint} check fails if the checkpoint's row is gone or changed
     */
    public IntegrityReport verifyCheckpoint(AuditChainCheckpoint checkpoint) {
        return repository.verifyCheckpoint(Objects.requireNonNull(checkpoint, "checkpoint"));
    }

    private @Nullable String fingerprint(@Nullable String value) {
        return Fingerprints.of(fingerprintKey, value,
                () -> new LegalException(LegalException.Reason.FINGERPRINT_KEY_MISSING, "an IP address or user"
                        + " agent was given but no fingerprint key is configured: set"
                        + " LegalService.builder().fingerprintKey(…) or leave them out"));
    }

    private static Optional<LegalDocument> current(List<LegalDocument> versions, Instant now) {
        LegalDocument best = null;
        for (LegalDocument d : versions) { // sorted by effective date, then version
            if (!d.effectiveAt().isAfter(now)) {
                best = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int indexOf(List<LegalDocument> versions, String version) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).version().equals(version)) {
                return i;
            }
        }
        return -1;
    }

    /** Builds a {@link LegalService}; {@link #build()} names every missing setting at once. */
    public static final class Builder {
        private @Nullable LegalRepository repository;
        private @Nullable Clock clock;
        private @Nullable Secret fingerprintKey;
        private List<DocumentKind> acceptanceKinds = List.of(DocumentKind.TERMS, DocumentKind.PRIVACY);
        private LegalObserver observer = LegalObserver.NONE;

        private Builder() {
        }

        /**
         * The observer told every recorded acceptance, for metrics (default {@link LegalObserver#NONE}). An
         * observer that throws is logged and ignored.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(LegalObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * @param repository where records are stored
         * @return this builder
         */
        public Builder repository(LegalRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * @param clock the time source for acceptances and "in effect now"
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
         * @param kinds the kinds users must accept (default terms and privacy), in the order they are asked
         * @return this builder
         */
        public Builder acceptanceKinds(DocumentKind... kinds) {
            Objects.requireNonNull(kinds, "kinds");
            Set<DocumentKind> set = new LinkedHashSet<>();
            for (DocumentKind kind : kinds) {
                set.add(Objects.requireNonNull(kind, "kind"));
            }
            this.acceptanceKinds = List.copyOf(set);
            return this;
        }

        /**
         * @return the service
         * @throws IllegalStateException naming every missing setting
         */
        public LegalService build() {
            List<String> problems = new ArrayList<>();
            if (repository == null) {
                problems.add("repository is required (PostgresLegalRepository or InMemoryLegalRepository)");
            }
            if (clock == null) {
                problems.add("clock is required (Clock.systemUTC() in production)");
            }
            if (acceptanceKinds.isEmpty()) {
                problems.add("acceptanceKinds must name at least one kind");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("invalid LegalService configuration: " + String.join("; ", problems));
            }
            return new LegalService(Objects.requireNonNull(repository), Objects.requireNonNull(clock), fingerprintKey,
                    acceptanceKinds, observer);
        }
    }

    @Override
    public String toString() {
        return "LegalService[" + repository + ", fingerprint key " + (fingerprintKey == null ? "none" : fingerprintKey)
                + "]";
    }
}
