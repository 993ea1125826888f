package dev.tollgate.consent;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A consent decision to be appended by a {@link ConsentRepository}: validated against its policy, timestamped,
 * fingerprints hashed. {@link ConsentService} makes these from a {@link ConsentDecision}.
 *
 * @param subjectId the data-subject id
 * @param policyVersion the policy version
 * @param choice the choice
 * @param purposes one boolean per purpose of the policy
 * @param withdrawal whether it withdraws earlier consent
 * @param source where it was made
 * @param recordedAt when
 * @param ipHash the HMAC-SHA256 of the IP address, or {@code null}
 * @param userAgentHash the HMAC-SHA256 of the user agent, or {@code null}
 */
public record NewConsentRecord(String subjectId, PolicyVersion policyVersion, ConsentChoice choice,
                               Map<String, Boolean> purposes, boolean withdrawal, String source, Instant recordedAt,
                               @Nullable String ipHash, @Nullable String userAgentHash) {

    /**
     * Refuses nulls and copies the purposes.
     *
     * @param subjectId the data-subject id
     * @param policyVersion the policy version
     * @param choice the choice
     * @param purposes one boolean per purpose of the policy
     * @param withdrawal whether it withdraws earlier consent
     * @param source where it was made
     * @param recordedAt when
     * @param ipHash the HMAC-SHA256 of the IP address, or {@code null}
     * @param userAgentHash the HMAC-SHA256 of the user agent, or {@code null}
     */
    public NewConsentRecord {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(recordedAt, "recordedAt");
        purposes = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(purposes, "purposes")));
    }

    /** Leaves out the subject id and the fingerprints. */
    @Override
    public String toString() {
        return "NewConsentRecord[policy " + policyVersion + ", " + choice.code() + ", " + purposes + "]";
    }
}
