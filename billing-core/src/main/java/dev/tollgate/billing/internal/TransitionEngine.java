package dev.tollgate.billing.internal;

import dev.tollgate.billing.ApplyResult;
import dev.tollgate.billing.ApplyResult.Outcome;
import dev.tollgate.billing.BillingProvider;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.ProviderEvent;
import dev.tollgate.billing.TenantBilling;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies provider events to tenant billing state, out-of-order safe.
 *
 * <p>The state has two lanes. The status (with the provider grace) belongs to the newest event that
 * set a status; plan, period end and entitlements belong to the newest event that described the
 * subscription. "Newest" is the provider's creation time, ties broken by event id, so the result of a
 * set of events does not depend on the order they arrive in.
 */
public final class TransitionEngine {

    private static final Logger LOG = LoggerFactory.getLogger(TransitionEngine.class);

    private final Function<String, Optional<String>> revenueCatTenants;

    /**
     * Creates the engine.
     *
     * @param revenueCatTenants maps a RevenueCat app user id to a tenant id (empty: unknown)
     */
    public TransitionEngine(Function<String, Optional<String>> revenueCatTenants) {
        this.revenueCatTenants = Objects.requireNonNull(revenueCatTenants, "revenueCatTenants");
    }

    /**
     * Maps an event to its intent.
     *
     * @param event the event
     * @return the intent
     */
    public static Intent intentOf(ProviderEvent event) {
        return event.provider() == BillingProvider.STRIPE ? StripeEventMapper.map(event)
                : RevenueCatEventMapper.map(event);
    }

    /**
     * Applies an event.
     *
     * @param work the transaction to apply it in
     * @param event the event
     * @return what happened
     */
    public ApplyResult apply(BillingUnitOfWork work, ProviderEvent event) {
        return apply(work, event, intentOf(event), null);
    }

    /**
     * Applies an intent on behalf of an event.
     *
     * @param work the transaction
     * @param event the event (its id and creation time order the change)
     * @param intent what to do
     * @param forcedTenant the tenant to apply a state intent to, bypassing resolution (reconciliation)
     * @return what happened
     */
    public ApplyResult apply(BillingUnitOfWork work, ProviderEvent event, Intent intent, @Nullable String forcedTenant) {
        if (intent instanceof Intent.Ignore ignore) {
            return new ApplyResult(Outcome.IGNORED, List.of(), ignore.reason());
        }
        if (intent instanceof Intent.Unresolvable unresolvable) {
            if (unresolvable.customerId() != null) {
                work.lockCustomer(event.provider(), unresolvable.customerId());
            }
            work.recordUnresolved(event, unresolvable.customerId(), unresolvable.reason());
            LOG.warn("billing event {} ({}) recorded as unresolved: {}", event.id(), event.type(), unresolvable.reason());
            return new ApplyResult(Outcome.UNRESOLVED, List.of(), unresolvable.reason());
        }
        if (intent instanceof Intent.MapCustomer map) {
            int replayed = mapCustomer(work, event.provider(), map.customerId(), map.tenantId(), event.id());
            return new ApplyResult(Outcome.CUSTOMER_MAPPED, List.of(map.tenantId()),
                    "customer mapped to the tenant; " + replayed + " waiting event(s) replayed");
        }
        if (intent instanceof Intent.Transfer transfer) {
            return transfer(work, event, transfer);
        }
        Intent.SetState set = (Intent.SetState) intent;
        String tenant = forcedTenant;
        if (tenant == null) {
            tenant = resolve(work, event.provider(), set);
        }
        if (tenant == null) {
            String key = set.appUserId() != null ? set.appUserId() : set.customerId();
            String reason = set.appUserId() != null ? "no tenant for the RevenueCat app user id"
                    : "no tenant_id metadata and no billing.customers mapping for the customer";
            work.recordUnresolved(event, key, reason);
            LOG.warn("billing event {} ({}) recorded as unresolved: {}", event.id(), event.type(), reason);
            return new ApplyResult(Outcome.UNRESOLVED, List.of(), reason);
        }
        if (forcedTenant == null && set.tenantId() != null && set.customerId() != null
                && event.provider() == BillingProvider.STRIPE) {
            mapCustomer(work, event.provider(), set.customerId(), set.tenantId(), event.id());
        }
        return setState(work, event, tenant, set);
    }

    private @Nullable String resolve(BillingUnitOfWork work, BillingProvider provider, Intent.SetState set) {
        if (set.tenantId() != null) {
            return set.tenantId();
        }
        if (set.appUserId() != null) {
            return revenueCatTenants.apply(set.appUserId()).orElse(null);
        }
        if (set.customerId() != null) {
            work.lockCustomer(provider, set.customerId());
            return work.tenantForCustomer(provider, set.customerId()).orElse(null);
        }
        return null;
    }

    private int mapCustomer(BillingUnitOfWork work, BillingProvider provider, String customerId, String tenantId,
                            String eventId) {
        work.lockCustomer(provider, customerId);
        String mapped = work.mapCustomer(provider, customerId, tenantId, eventId);
        if (!mapped.equals(tenantId)) {
            LOG.warn("billing event {}: the customer is already mapped to another tenant; the mapping is kept",
                    eventId);
            return 0;
        }
        int replayed = 0;
        for (ProviderEvent waiting : work.takeUnresolved(provider, customerId, tenantId)) {
            apply(work, waiting);
            replayed++;
        }
        return replayed;
    }

    private ApplyResult setState(BillingUnitOfWork work, ProviderEvent event, String tenant, Intent.SetState set) {
        Optional<TenantBilling> existing = work.lockTenant(tenant);
        TenantBilling current = existing.orElseGet(() -> TenantBilling.none(tenant));
        boolean statusFresh = newer(event, current.sourceEventCreated(), current.sourceEventId());
        boolean detailsFresh = !set.statusOnly()
                && newer(event, current.detailsEventCreated(), current.detailsEventId());
        if (!statusFresh && !detailsFresh) {
            return new ApplyResult(Outcome.STALE, List.of(tenant),
                    "event is older than the one that last set the tenant's state");
        }
        BillingStatus status = statusFresh ? set.status() : current.status();
        Instant since = status != current.status() || existing.isEmpty() ? event.created() : current.statusSince();
        TenantBilling next = new TenantBilling(tenant, status,
                event.provider(),
                set.customerId() != null ? set.customerId()
                        : set.appUserId() != null ? set.appUserId() : current.customerId(),
                set.subscriptionId() != null ? set.subscriptionId() : current.subscriptionId(),
                detailsFresh ? set.planId() : current.planId(),
                detailsFresh ? set.entitlementIds() : current.entitlementIds(),
                detailsFresh ? set.currentPeriodEnd() : current.currentPeriodEnd(),
                statusFresh ? set.graceUntil() : current.graceUntil(),
                since,
                statusFresh ? event.id() : current.sourceEventId(),
                statusFresh ? event.created() : current.sourceEventCreated(),
                detailsFresh ? event.id() : current.detailsEventId(),
                detailsFresh ? event.created() : current.detailsEventCreated());
        work.write(existing.orElse(null), next, event.id());
        return new ApplyResult(Outcome.APPLIED, List.of(tenant), "status " + current.status().wireName() + " -> "
                + status.wireName() + (detailsFresh ? "" : " (subscription details kept: a newer event set them)"));
    }

    private ApplyResult transfer(BillingUnitOfWork work, ProviderEvent event, Intent.Transfer transfer) {
        TenantBilling source = null;
        List<String> touched = new ArrayList<>();
        List<String> fromTenants = new ArrayList<>();
        for (String user : transfer.fromAppUserIds()) {
            Optional<String> tenant = revenueCatTenants.apply(user);
            if (tenant.isPresent()) {
                fromTenants.add(tenant.get());
                Optional<TenantBilling> state = work.lockTenant(tenant.get());
                if (source == null && state.isPresent() && state.get().status() != BillingStatus.NONE) {
                    source = state.get();
                }
            }
        }
        for (String user : source == null ? List.<String>of() : transfer.toAppUserIds()) {
            Optional<String> tenant = revenueCatTenants.apply(user);
            if (tenant.isEmpty()) {
                work.recordUnresolved(event, user, "no tenant for the RevenueCat app user id receiving a transfer");
                continue;
            }
            // Only a known state moves: with no source state, BillingReconciler.sync(tenant) fetches it.
            Intent.SetState set = new Intent.SetState(tenant.get(), null, user, source.status(), false,
                    source.subscriptionId(), source.planId(), source.entitlementIds(), source.currentPeriodEnd(),
                    source.graceUntil());
            if (setState(work, event, tenant.get(), set).outcome() == Outcome.APPLIED) {
                touched.add(tenant.get());
            }
        }
        for (String tenant : fromTenants) {
            Intent.SetState set = new Intent.SetState(tenant, null, null, BillingStatus.NONE, false, null, null,
                    List.of(), null, null);
            if (setState(work, event, tenant, set).outcome() == Outcome.APPLIED) {
                touched.add(tenant);
            }
        }
        if (touched.isEmpty()) {
            return new ApplyResult(fromTenants.isEmpty() && transfer.toAppUserIds().isEmpty() ? Outcome.IGNORED
                    : Outcome.STALE, List.of(), "transfer changed no known tenant");
        }
        return new ApplyResult(Outcome.APPLIED, touched, "purchases transferred");
    }

    /** Whether the event is newer than the one identified by {@code created}/{@code id}. */
    static boolean newer(ProviderEvent event, @Nullable Instant created, @Nullable String id) {
        if (created == null) {
            return true;
        }
        int byTime = event.created().compareTo(created);
        if (byTime != 0) {
            return byTime > 0;
        }
        return id == null || event.id().compareTo(id) > 0;
    }
}
