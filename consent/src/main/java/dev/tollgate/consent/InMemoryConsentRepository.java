package dev.tollgate.consent;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ConsentRepository} in memory, for tests of code that uses {@link ConsentService}. Same rules as
 * {@link PostgresConsentRepository}: immutable policies, append-only records, a record only for a published
 * policy. Thread-safe: every method is synchronized.
 */
public final class InMemoryConsentRepository implements ConsentRepository {

    private final Map<PolicyVersion, ConsentPolicy> policies = new TreeMap<>();
    private final List<ConsentRecord> records = new ArrayList<>();

    /** Creates an empty repository. */
    public InMemoryConsentRepository() {
    }

    @Override
    public synchronized void publish(ConsentPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (policies.putIfAbsent(policy.version(), policy) != null) {
            throw new ConsentException(ConsentException.Reason.DUPLICATE_VERSION,
                    "consent policy " + policy.version() + " is already published; publish a new version");
        }
    }

    @Override
    public synchronized Optional<ConsentPolicy> policy(PolicyVersion version) {
        return Optional.ofNullable(policies.get(Objects.requireNonNull(version, "version")));
    }

    @Override
    public synchronized List<ConsentPolicy> policies() {
        return List.copyOf(policies.values());
    }

    @Override
    public synchronized ConsentRecord append(NewConsentRecord r) {
        Objects.requireNonNull(r, "record");
        if (!policies.containsKey(r.policyVersion())) {
            throw PostgresConsentRepository.unknownPolicy(r.policyVersion());
        }
        ConsentRecord stored = new ConsentRecord(records.size() + 1L, r.subjectId(), r.policyVersion(), r.choice(),
                r.purposes(), r.withdrawal(), r.source(), r.recordedAt().truncatedTo(ChronoUnit.MICROS), r.ipHash(),
                r.userAgentHash());
        records.add(stored);
        return stored;
    }

    @Override
    public synchronized Optional<ConsentRecord> latest(String subjectId) {
        return history(subjectId).stream()
                .max(Comparator.comparing(ConsentRecord::recordedAt).thenComparingLong(ConsentRecord::id));
    }

    @Override
    public synchronized List<ConsentRecord> history(String subjectId) {
        Objects.requireNonNull(subjectId, "subjectId");
        return records.stream().filter(r -> r.subjectId().equals(subjectId))
                .sorted(Comparator.comparing(ConsentRecord::recordedAt).thenComparingLong(ConsentRecord::id)).toList();
    }

    /** Checks every record against its policy, as {@code consent.verify_consent_schema()} does. */
    @Override
    public synchronized IntegrityReport verifyIntegrity() {
        List<String> orphans = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> necessaryRefused = new ArrayList<>();
        for (ConsentRecord r : records) {
            ConsentPolicy policy = policies.get(r.policyVersion());
            if (policy == null) {
                orphans.add("record " + r.id());
                continue;
            }
            if (!policy.purposes().stream().map(Purpose::id).sorted().toList().equals(List.copyOf(r.purposes().keySet()))) {
                mismatched.add("record " + r.id());
            }
            if (policy.purposes().stream().anyMatch(p -> p.necessary() && !r.grants(p.id()))) {
                necessaryRefused.add("record " + r.id());
            }
        }
        return new IntegrityReport(List.of(
                check("records_have_policy", orphans, "every record names a published policy version"),
                check("record_purposes_match_policy", mismatched, "every record has one boolean per purpose"),
                check("necessary_purposes_granted", necessaryRefused, "necessary purposes are granted in every record")));
    }

    private static IntegrityCheck check(String name, List<String> bad, String ok) {
        return bad.isEmpty() ? IntegrityCheck.pass(name, ok) : IntegrityCheck.fail(name, "offending: " + bad);
    }

    @Override
    public String toString() {
        return "InMemoryConsentRepository";
    }
}
