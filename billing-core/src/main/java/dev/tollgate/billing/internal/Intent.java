package dev.tollgate.billing.internal;

import dev.tollgate.billing.BillingStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a provider event asks the billing state to do, before the tenant is resolved. */
public sealed interface Intent {

    /**
     * Set a tenant's state. The tenant is {@code tenantId} when the event names it, else the tenant
     * mapped to {@code customerId} (Stripe) or to {@code appUserId} (RevenueCat).
     *
     * @param statusOnly true when the event only says the status (invoice events): plan, period and
     *     entitlements stay as the newest subscription event set them
     */
    record SetState(@Nullable String tenantId, @Nullable String customerId, @Nullable String appUserId,
                    BillingStatus status, boolean statusOnly, @Nullable String subscriptionId,
                    @Nullable String planId, List<String> entitlementIds, @Nullable Instant currentPeriodEnd,
                    @Nullable Instant graceUntil) implements Intent {
        /** Copies the list. */
        public SetState {
            entitlementIds = List.copyOf(entitlementIds);
        }
    }

    /** Map a provider customer to a tenant (checkout completed). */
    record MapCustomer(String customerId, String tenantId) implements Intent {
    }

    /** The event concerns a tenant but does not say which, and no mapping can: record it. */
    record Unresolvable(@Nullable String customerId, String reason) implements Intent {
    }

    /** RevenueCat TRANSFER: the purchases move from some app users to others. */
    record Transfer(List<String> fromAppUserIds, List<String> toAppUserIds) implements Intent {
        /** Copies the lists. */
        public Transfer {
            fromAppUserIds = List.copyOf(fromAppUserIds);
            toAppUserIds = List.copyOf(toAppUserIds);
        }
    }

    /** The event has no effect on billing state. */
    record Ignore(String reason) implements Intent {
    }
}
