package dev.tollgate.billing;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider event whose tenant could not be resolved. It is kept (not dropped), reported by
 * {@link BillingRepository#unresolvedEvents()} and {@code billing.verify_billing_schema()}, and replayed
 * when a {@code checkout.session.completed} maps its customer to a tenant.
 *
 * @param provider the provider
 * @param eventId the provider's event id
 * @param eventType the provider's event type
 * @param customerId the customer (or app user) id that could not be mapped, when the event had one
 * @param reason why the tenant could not be resolved
 * @param receivedAt when it was recorded
 */
public record UnresolvedEvent(BillingProvider provider, String eventId, String eventType,
                              @Nullable String customerId, String reason, Instant receivedAt) {

    /**
     * Validates the fields.
     *
     * @param provider the provider
     * @param eventId the provider's event id
     * @param eventType the provider's event type
     * @param customerId the customer (or app user) id that could not be mapped, when the event had one
     * @param reason why the tenant could not be resolved
     * @param receivedAt when it was recorded
     */
    public UnresolvedEvent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
