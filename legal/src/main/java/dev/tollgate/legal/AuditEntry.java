package dev.tollgate.legal;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of the hash-chained {@code legal.audit_log}.
 *
 * @param seq the position in the chain, from 1
 * @param eventType the event type, {@code legal.acceptance} for acceptances
 * @param subjectId the user the event is about
 * @param acceptanceId the acceptance the row records, or {@code null}
 * @param details the event's details as JSON
 * @param occurredAt when it happened
 * @param prevHash the row hash of the row before ({@code 0…0} for the first)
 * @param rowHash the SHA-256 of this row's content including {@code prevHash}
 */
public record AuditEntry(long seq, String eventType, String subjectId, @Nullable Long acceptanceId, String details,
                         Instant occurredAt, String prevHash, String rowHash) {

    /** The event type of the audit row written with every acceptance. */
    public static final String ACCEPTANCE_EVENT = "legal.acceptance";

    /**
     * Refuses nulls.
     *
     * @param seq the position in the chain, from 1
     * @param eventType the event type, {@code legal.acceptance} for acceptances
     * @param subjectId the user the event is about
     * @param acceptanceId the acceptance the row records, or {@code null}
     * @param details the event's details as JSON
     * @param occurredAt when it happened
     * @param prevHash the row hash of the row before ({@code 0…0} for the first)
     * @param rowHash the SHA-256 of this row's content including {@code prevHash}
     */
    public AuditEntry {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(rowHash, "rowHash");
    }

    /** Leaves out the subject id and details. */
    @Override
    public String toString() {
        return "AuditEntry[seq " + seq + ", " + eventType + ", acceptance " + acceptanceId + ", hash "
                + rowHash.substring(0, Math.min(12, rowHash.length())) + "…]";
    }
}
