package dev.tollgate.billing;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code billing.audit_log}: a change of a tenant's billing state.
 *
 * @param tenantId the tenant
 * @param fromStatus the status before, {@code null} when the tenant had no state yet
 * @param toStatus the status after
 * @param causeEventId the provider event id that caused it, or {@code sql:<role>} for a direct SQL change
 * @param at when it was written
 */
public record AuditEntry(String tenantId, @Nullable BillingStatus fromStatus, BillingStatus toStatus,
                         String causeEventId, Instant at) {

    /**
     * Validates the fields.
     *
     * @param tenantId the tenant
     * @param fromStatus the status before, {@code null} when the tenant had no state yet
     * @param toStatus the status after
     * @param causeEventId the provider event id that caused it, or {@code sql:<role>} for a direct SQL change
     * @param at when it was written
     */
    public AuditEntry {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(toStatus, "toStatus");
        Objects.requireNonNull(causeEventId, "causeEventId");
        Objects.requireNonNull(at, "at");
    }
}
