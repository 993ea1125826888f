package dev.tollgate.consent;

import dev.tollgate.integrity.IntegrityReport;
import java.util.List;
import java.util.Optional;

/**
 * Where consent policies and records are stored. {@link PostgresConsentRepository} is the production
 * implementation; {@link InMemoryConsentRepository} serves tests of users' code. Implementations are
 * thread-safe; records are append-only.
 */
public interface ConsentRepository {

    /**
     * Stores a new policy version.
     *
     * @param policy the policy
     * @throws ConsentException {@link ConsentException.Reason#DUPLICATE_VERSION} if the version exists
     */
    void publish(ConsentPolicy policy);

    /**
     * @param version a version
     * @return the policy, if published
     */
    Optional<ConsentPolicy> policy(PolicyVersion version);

    /** @return every published policy, oldest version first */
    List<ConsentPolicy> policies();

    /**
     * Appends one decision atomically.
     *
     * @param record the decision
     * @return the stored record with its id
     * @throws ConsentException {@link ConsentException.Reason#UNKNOWN_POLICY_VERSION} when the policy is not
     *     published; nothing is written then
     */
    ConsentRecord append(NewConsentRecord record);

    /**
     * @param subjectId the subject
     * @return the subject's most recent decision (latest time, then highest id)
     */
    Optional<ConsentRecord> latest(String subjectId);

    /**
     * @param subjectId the subject
     * @return every decision of the subject, oldest first
     */
    List<ConsentRecord> history(String subjectId);

    /**
     * Verifies schema and records (the PostgreSQL implementation runs {@code consent.verify_consent_schema()}).
     *
     * @return the report
     */
    IntegrityReport verifyIntegrity();
}
