package dev.tollgate.consent;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One stored consent decision (a row of the append-only {@code consent.records}).
 *
 * @param id the row id
 * @param subjectId the opaque data-subject id (user or visitor)
 * @param policyVersion the policy version the subject saw
 * @param choice what the subject chose
 * @param purposes granted ({@code true}) or refused ({@code false}) for each purpose of the policy, by id
 * @param withdrawal whether this decision withdrew consent given before
 * @param source where the decision was made, such as {@code banner} or {@code settings}
 * @param recordedAt when it was recorded
 * @param ipHash the HMAC-SHA256 of the IP address, or {@code null}
 * @param userAgentHash the HMAC-SHA256 of the user agent, or {@code null}
 */
public record ConsentRecord(long id, String subjectId, PolicyVersion policyVersion, ConsentChoice choice,
                            Map<String, Boolean> purposes, boolean withdrawal, String source, Instant recordedAt,
                            @Nullable String ipHash, @Nullable String userAgentHash) {

    /**
     * Refuses nulls and copies the purposes into an unmodifiable map sorted by id.
     *
     * @param id the row id
     * @param subjectId the opaque data-subject id (user or visitor)
     * @param policyVersion the policy version the subject saw
     * @param choice what the subject chose
     * @param purposes granted ({@code true}) or refused ({@code false}) for each purpose of the policy, by id
     * @param withdrawal whether this decision withdrew consent given before
     * @param source where the decision was made, such as {@code banner} or {@code settings}
     * @param recordedAt when it was recorded
     * @param ipHash the HMAC-SHA256 of the IP address, or {@code null}
     * @param userAgentHash the HMAC-SHA256 of the user agent, or {@code null}
     */
    public ConsentRecord {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(recordedAt, "recordedAt");
        purposes = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(purposes, "purposes")));
    }

    /**
     * @param purposeId a purpose id
     * @return whether this decision granted the purpose ({@code false} when the policy did not have it)
     */
    public boolean grants(String purposeId) {
        return Boolean.TRUE.equals(purposes.get(Objects.requireNonNull(purposeId, "purposeId")));
    }

    /** Leaves out the subject id and the fingerprints. */
    @Override
    public String toString() {
        return "ConsentRecord[id " + id + ", policy " + policyVersion + ", " + choice.code() + ", " + purposes
                + (withdrawal ? ", withdrawal" : "") + ", at " + recordedAt + ", source " + source + "]";
    }
}
