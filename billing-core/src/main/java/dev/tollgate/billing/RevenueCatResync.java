package dev.tollgate.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.webhooks.EventDetails;
import dev.tollgate.webhooks.EventFilter;
import dev.tollgate.webhooks.EventRecord;
import dev.tollgate.webhooks.EventState;
import dev.tollgate.webhooks.WebhookEvents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Re-syncs RevenueCat subscribers whose events went wrong: for each app user, the current subscriber is fetched
 * ({@code GET /v1/subscribers/{app_user_id}}) and applied through {@link BillingReconciler#sync(String)}, the same
 * out-of-order-safe path as webhook events. RevenueCat retries a delivery 5 times only; after that the state it
 * carried is known again only this way.
 *
 * <pre>{@code
 * RevenueCatResync resync = RevenueCatResync.of(reconciler, WebhookEvents.create(dataSource, clock));
 * List<Outcome> outcomes = resync.resync(resync.deadLetteredUsers(1_000));
 * }</pre>
 *
 * <p>The dead letters stay as they are (open): {@code events redrive} would run their stale content again, which
 * the out-of-order-safe applier then ignores. Instances are immutable.
 */
public final class RevenueCatResync {

    /** The provider name RevenueCat's events are stored under. */
    public static final String PROVIDER = "revenuecat";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BillingReconciler reconciler;
    private final WebhookEvents events;
    private final String provider;
    private final Function<String, String> tenantOf;

    private RevenueCatResync(BillingReconciler reconciler, WebhookEvents events, String provider,
                             Function<String, String> tenantOf) {
        this.reconciler = reconciler;
        this.events = events;
        this.provider = provider;
        this.tenantOf = tenantOf;
    }

    /**
     * Re-syncs under the provider name {@value #PROVIDER}, with app user ids that are tenant ids.
     *
     * @param reconciler a reconciler with {@link BillingReconciler.Builder#revenueCat} configured
     * @param events the stored events, for the dead letters
     * @return the re-sync
     */
    public static RevenueCatResync of(BillingReconciler reconciler, WebhookEvents events) {
        return of(reconciler, events, PROVIDER, Function.identity());
    }

    /**
     * Re-syncs under another provider name or tenant mapping.
     *
     * @param reconciler a reconciler with {@link BillingReconciler.Builder#revenueCat} configured
     * @param events the stored events, for the dead letters
     * @param provider the provider name RevenueCat's events are stored under
     * @param tenantOf maps an app user id to its tenant id (the inverse of the reconciler's
     *                 {@link BillingReconciler.Builder#revenueCatUserIds})
     * @return the re-sync
     */
    public static RevenueCatResync of(BillingReconciler reconciler, WebhookEvents events, String provider,
                                      Function<String, String> tenantOf) {
        return new RevenueCatResync(Objects.requireNonNull(reconciler, "reconciler"),
                Objects.requireNonNull(events, "events"), Objects.requireNonNull(provider, "provider"),
                Objects.requireNonNull(tenantOf, "tenantOf"));
    }

    /**
     * The app users of dead-lettered RevenueCat events, from their stored payloads ({@code event.app_user_id}).
     *
     * @param limit how many dead letters to read at most, 1 to {@value EventFilter#MAX_LIMIT}
     * @return the distinct app user ids, newest dead letter first
     * @throws dev.tollgate.webhooks.IdempotencyStoreException when the database fails
     */
    public List<String> deadLetteredUsers(int limit) {
        Set<String> users = new LinkedHashSet<>();
        List<EventRecord> dead = events.list(EventFilter.builder().state(EventState.DEAD).provider(provider)
                .limit(limit).build());
        for (EventRecord record : dead) {
            events.show(provider, record.eventId(), true).map(EventDetails::payload).map(RevenueCatResync::appUserId)
                    .ifPresent(users::add);
        }
        return List.copyOf(users);
    }

    /**
     * Re-syncs each app user; one failing does not stop the others.
     *
     * @param appUserIds the app users
     * @return one outcome per distinct app user, in the given order
     */
    public List<Outcome> resync(Collection<String> appUserIds) {
        Objects.requireNonNull(appUserIds, "appUserIds");
        List<Outcome> outcomes = new ArrayList<>();
        for (String user : new LinkedHashSet<>(appUserIds)) {
            Objects.requireNonNull(user, "appUserIds contains null");
            String tenant = Objects.requireNonNull(tenantOf.apply(user), "tenantOf returned null");
            try {
                outcomes.add(new Outcome(user, tenant, reconciler.sync(tenant), null));
            } catch (BillingException e) {
                outcomes.add(new Outcome(user, tenant, null, e));
            }
        }
        return List.copyOf(outcomes);
    }

    private static @Nullable String appUserId(@Nullable String payload) {
        if (payload == null) {
            return null;
        }
        try {
            JsonNode user = JSON.readTree(payload).path("event").path("app_user_id");
            return user.isTextual() && !user.asText().isEmpty() ? user.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What re-syncing one app user did.
     *
     * @param appUserId the app user
     * @param tenantId its tenant
     * @param result what applying RevenueCat's answer did, or {@code null} when it failed
     * @param failure why it failed (reason {@code PROVIDER_UNAVAILABLE}, {@code NOTHING_TO_RECONCILE}, …), or
     *                {@code null}
     */
    public record Outcome(String appUserId, String tenantId, @Nullable ApplyResult result,
                          @Nullable BillingException failure) {

        /**
         * Refuses nulls where a value is required, and exactly one of result and failure.
         *
         * @param appUserId the app user
         * @param tenantId its tenant
         * @param result what applying did, or {@code null}
         * @param failure why it failed, or {@code null}
         */
        public Outcome {
            Objects.requireNonNull(appUserId, "appUserId");
            Objects.requireNonNull(tenantId, "tenantId");
            if ((result == null) == (failure == null)) {
                throw new IllegalArgumentException("exactly one of result and failure");
            }
        }
    }
}
