package dev.tollgate.legal;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.internal.Digests;
import dev.tollgate.legal.internal.AuditRowHash;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LegalRepository} in memory, for tests of code that uses {@link LegalService}. It keeps the same
 * rules as {@link PostgresLegalRepository} (immutable versions, all-or-nothing acceptances, one audit row per
 * acceptance, a hash-chained audit log) and is thread-safe: every method is synchronized.
 */
public final class InMemoryLegalRepository implements LegalRepository {

    private static final String GENESIS = "0".repeat(64);

    private final Map<String, LegalDocument> documents = new LinkedHashMap<>();
    private final List<Acceptance> acceptances = new ArrayList<>();
    private final List<AuditEntry> auditLog = new ArrayList<>();

    /** Creates an empty repository. */
    public InMemoryLegalRepository() {
    }

    @Override
    public synchronized void publish(LegalDocument document) {
        Objects.requireNonNull(document, "document");
        if (documents.putIfAbsent(key(document.kind(), document.version()), document) != null) {
            throw new LegalException(LegalException.Reason.DUPLICATE_VERSION, "document " + document.kind() + " "
                    + document.version() + " is already published; publish a new version");
        }
    }

    @Override
    public synchronized Optional<LegalDocument> find(DocumentKind kind, String version) {
        return Optional.ofNullable(documents.get(key(Objects.requireNonNull(kind, "kind"),
                Objects.requireNonNull(version, "version"))));
    }

    @Override
    public synchronized List<LegalDocument> versions(DocumentKind kind) {
        Objects.requireNonNull(kind, "kind");
        return documents.values().stream().filter(d -> d.kind().equals(kind))
                .sorted(Comparator.comparing(LegalDocument::effectiveAt).thenComparing(LegalDocument::version))
                .toList();
    }

    @Override
    public synchronized List<DocumentKind> kinds() {
        TreeSet<String> names = new TreeSet<>();
        documents.values().forEach(d -> names.add(d.kind().name()));
        return names.stream().map(DocumentKind::of).toList();
    }

    @Override
    public synchronized List<Acceptance> record(List<NewAcceptance> batch) {
        List<NewAcceptance> list = List.copyOf(Objects.requireNonNull(batch, "acceptances"));
        if (list.isEmpty()) {
            throw new LegalException(LegalException.Reason.INVALID_INPUT, "record at least one acceptance");
        }
        for (NewAcceptance a : list) { // validate all before writing anything
            LegalDocument document = documents.get(key(a.kind(), a.version()));
            if (document == null) {
                throw PostgresLegalRepository.unknownDocument(a.kind(), a.version());
            }
            if (a.expectedSha256() != null && !a.expectedSha256().equals(document.contentSha256())) {
                throw PostgresLegalRepository.documentChanged(a.kind(), a.version());
            }
        }
        List<Acceptance> stored = new ArrayList<>();
        for (NewAcceptance a : list) {
            String hash = documents.get(key(a.kind(), a.version())).contentSha256();
            Instant at = a.acceptedAt().truncatedTo(ChronoUnit.MICROS);
            Acceptance acceptance = new Acceptance(acceptances.size() + 1L, a.userId(), a.kind(), a.version(), hash, at,
                    a.source(), a.ipHash(), a.userAgentHash());
            acceptances.add(acceptance);
            long seq = auditLog.size() + 1L;
            String prev = auditLog.isEmpty() ? GENESIS : auditLog.get(auditLog.size() - 1).rowHash();
            String details = PostgresLegalRepository.acceptanceDetails(a.kind(), a.version(), hash, a.source());
            auditLog.add(new AuditEntry(seq, AuditEntry.ACCEPTANCE_EVENT, a.userId(), acceptance.id(), details, at, prev,
                    rowHash(seq, AuditEntry.ACCEPTANCE_EVENT, a.userId(), acceptance.id(), details, at, prev)));
            stored.add(acceptance);
        }
        return stored;
    }

    private static String rowHash(long seq, String eventType, String subjectId, @Nullable Long acceptanceId,
                                  String details, Instant at, String prev) {
        return AuditRowHash.v2(seq, eventType, subjectId, acceptanceId, details, at, prev);
    }

    @Override
    public synchronized List<Acceptance> acceptances(String userId) {
        Objects.requireNonNull(userId, "userId");
        return acceptances.stream().filter(a -> a.userId().equals(userId)).toList();
    }

    @Override
    public synchronized List<AuditEntry> auditLog(long afterSeq, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
        return auditLog.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
    }

    @Override
    public synchronized AuditChainCheckpoint checkpoint(Instant takenAt) {
        Objects.requireNonNull(takenAt, "takenAt");
        return auditLog.isEmpty() ? new AuditChainCheckpoint(0, GENESIS, takenAt)
                : new AuditChainCheckpoint(auditLog.size(), auditLog.get(auditLog.size() - 1).rowHash(), takenAt);
    }

    @Override
    public synchronized IntegrityReport verifyIntegrity() {
        List<IntegrityCheck> checks = new ArrayList<>();
        List<String> badDocuments = documents.values().stream()
                .filter(d -> !d.contentSha256().equals(Digests.sha256Hex(d.content())))
                .map(d -> d.kind() + " " + d.version()).toList();
        checks.add(badDocuments.isEmpty() ? IntegrityCheck.pass("document_hashes", "every document matches its SHA-256")
                : IntegrityCheck.fail("document_hashes", "content does not match for " + badDocuments));
        // as the SQL verifier: the audit row names the acceptance, its user, document version, hash and time
        List<String> unaudited = acceptances.stream()
                .filter(a -> auditLog.stream().noneMatch(e -> Objects.equals(e.acceptanceId(), a.id())
                        && e.eventType().equals(AuditEntry.ACCEPTANCE_EVENT) && e.subjectId().equals(a.userId())
                        && e.occurredAt().equals(a.acceptedAt()) && e.details().equals(PostgresLegalRepository
                                .acceptanceDetails(a.kind(), a.version(), a.contentSha256(), a.source()))))
                .map(a -> "acceptance " + a.id()).toList();
        checks.add(unaudited.isEmpty() ? IntegrityCheck.pass("acceptances_have_audit_rows",
                        "every acceptance has its audit row with the same user, document version, hash and time")
                : IntegrityCheck.fail("acceptances_have_audit_rows", "no matching audit row for " + unaudited));
        List<String> broken = new ArrayList<>();
        String prev = GENESIS;
        for (int i = 0; i < auditLog.size(); i++) {
            AuditEntry e = auditLog.get(i);
            if (e.seq() != i + 1 || !e.prevHash().equals(prev) || !e.rowHash().equals(rowHash(e.seq(), e.eventType(),
                    e.subjectId(), e.acceptanceId(), e.details(), e.occurredAt(), e.prevHash()))) {
                broken.add("row " + e.seq());
            }
            prev = e.rowHash();
        }
        checks.add(broken.isEmpty() ? IntegrityCheck.pass("audit_chain_links", auditLog.size() + " rows chain from genesis")
                : IntegrityCheck.fail("audit_chain_links", "broken links at " + broken));
        return new IntegrityReport(checks);
    }

    @Override
    public synchronized IntegrityReport verifyCheckpoint(AuditChainCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (checkpoint.seq() == 0) {
            return new IntegrityReport(List.of(IntegrityCheck.pass("audit_checkpoint", "taken on an empty log")));
        }
        if (checkpoint.seq() > auditLog.size()) {
            return new IntegrityReport(List.of(IntegrityCheck.fail("audit_checkpoint", "checkpoint row "
                    + checkpoint.seq() + " is missing (head is now " + auditLog.size() + "): newest rows were deleted")));
        }
        boolean same = auditLog.get((int) checkpoint.seq() - 1).rowHash().equals(checkpoint.rowHash());
        return new IntegrityReport(List.of(same
                ? IntegrityCheck.pass("audit_checkpoint", "row " + checkpoint.seq() + " still has the checkpoint hash")
                : IntegrityCheck.fail("audit_checkpoint", "row " + checkpoint.seq() + " no longer has the checkpoint hash")));
    }

    private static String key(DocumentKind kind, String version) {
        return kind.name() + "\u0000" + version;
    }

    @Override
    public String toString() {
        return "InMemoryLegalRepository";
    }
}
