package dev.tollgate.billing;

import java.util.List;
import java.util.Objects;

/**
 * What applying one provider event did. Every outcome means "acknowledge the event": none of them is
 * an error (errors are thrown as {@link BillingException}).
 *
 * @param outcome what happened
 * @param tenantIds the tenants whose state changed or was considered (empty when none was resolved)
 * @param detail a short human-readable explanation, free of personal data
 */
public record ApplyResult(Outcome outcome, List<String> tenantIds, String detail) {

    /** What applying an event did. */
    public enum Outcome {
        /** The tenant's state changed (or was confirmed by a newer event). */
        APPLIED,
        /** The event is older than the one that last set the tenant's state: nothing changed. */
        STALE,
        /** A provider customer was mapped to a tenant (and events waiting for it were replayed). */
        CUSTOMER_MAPPED,
        /** The tenant could not be resolved: the event was recorded as unresolved. */
        UNRESOLVED,
        /** The event type has no effect on billing state (unknown types and {@code TEST} included). */
        IGNORED
    }

    /**
     * Validates the fields and copies the list.
     *
     * @param outcome what happened
     * @param tenantIds the tenants whose state changed or was considered (empty when none was resolved)
     * @param detail a short human-readable explanation, free of personal data
     */
    public ApplyResult {
        Objects.requireNonNull(outcome, "outcome");
        tenantIds = List.copyOf(Objects.requireNonNull(tenantIds, "tenantIds"));
        Objects.requireNonNull(detail, "detail");
    }
}
