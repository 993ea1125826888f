package dev.tollgate.legal;

import dev.tollgate.integrity.IntegrityReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where legal documents, acceptances and the audit chain are stored. {@link PostgresLegalRepository} is the
 * production implementation; {@link InMemoryLegalRepository} serves tests of users' code. Implementations
 * are thread-safe.
 */
public interface LegalRepository {

    /**
     * Stores a new document version.
     *
     * @param document the document
     * @throws LegalException with {@link LegalException.Reason#DUPLICATE_VERSION} if that kind and version exists
     */
    void publish(LegalDocument document);

    /**
     * @param kind the kind
     * @param version the version
     * @return the document, if published
     */
    Optional<LegalDocument> find(DocumentKind kind, String version);

    /**
     * @param kind the kind
     * @return every published version of the kind, by effective date, then version
     */
    List<LegalDocument> versions(DocumentKind kind);

    /** @return every kind with at least one published version, by name */
    List<DocumentKind> kinds();

    /**
     * Stores acceptances atomically: each with one {@code legal.acceptance} audit row appended to the chain,
     * all in one transaction; when any is refused, nothing is stored. Concurrent calls produce one consistent
     * chain.
     *
     * @param acceptances the acceptances, at least one
     * @return the stored acceptances, in the given order
     * @throws LegalException {@link LegalException.Reason#UNKNOWN_DOCUMENT} when a version is not published,
     *     {@link LegalException.Reason#DOCUMENT_CHANGED} when an expected hash differs from the stored one
     */
    List<Acceptance> record(List<NewAcceptance> acceptances);

    /**
     * @param userId the user
     * @return the user's acceptances, oldest first
     */
    List<Acceptance> acceptances(String userId);

    /**
     * @param afterSeq return rows with a larger sequence number
     * @param limit the most rows to return
     * @return audit rows in chain order
     */
    List<AuditEntry> auditLog(long afterSeq, int limit);

    /**
     * @param takenAt the time to stamp on the checkpoint
     * @return the current head of the audit chain
     */
    AuditChainCheckpoint checkpoint(Instant takenAt);

    /**
     * Verifies documents, acceptances and the audit chain (the PostgreSQL implementation runs
     * {@code legal.verify_legal_acceptance_integrity()}).
     *
     * @return the report
     */
    IntegrityReport verifyIntegrity();

    /**
     * Checks that the checkpoint's row is still in the chain with the same hash.
     *
     * @param checkpoint a checkpoint taken earlier
     * @return a report with one check, {@code audit_checkpoint}
     */
    IntegrityReport verifyCheckpoint(AuditChainCheckpoint checkpoint);
}
