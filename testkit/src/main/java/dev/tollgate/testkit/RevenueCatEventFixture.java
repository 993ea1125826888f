package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Builds RevenueCat webhook bodies, {@code {"event": {…}, "api_version": "1.0"}}, shaped like the samples
 * RevenueCat publishes, with the fields a billing test needs under control.
 *
 * <pre>{@code
 * EventPayload event = RevenueCatEventFixture.billingIssue()
 *         .appUserId("tenant-42")
 *         .entitlementIds("pro")
 *         .eventTimestamp(clock.instant())
 *         .expiration(clock.instant().plus(Duration.ofDays(3)))
 *         .build();
 * SignedDelivery delivery = RevenueCatSigner.of(Secret.of(token)).sign(event);
 * }</pre>
 *
 * <p>Defaults: a random upper-case UUID as id, {@code event_timestamp_ms} now (system clock), app user
 * {@code user_1}, entitlement {@code pro}, product {@code tollgate_pro_monthly} on {@code APP_STORE},
 * {@code PRODUCTION}, purchased now and expiring 30 days later ({@code NON_RENEWING_PURCHASE}: no
 * expiration). A {@code TRANSFER} carries {@code transferred_from}/{@code transferred_to} and no
 * {@code app_user_id}, as RevenueCat sends it. Not thread-safe.
 */
public final class RevenueCatEventFixture {

    /** Every event type this fixture builds. */
    public static final List<String> EVENT_TYPES = List.of("INITIAL_PURCHASE", "RENEWAL", "CANCELLATION",
            "BILLING_ISSUE", "EXPIRATION", "UNCANCELLATION", "PRODUCT_CHANGE", "NON_RENEWING_PURCHASE",
            "SUBSCRIPTION_PAUSED", "TRANSFER", "TEST");

    private final String type;
    private String id = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    private Instant eventTimestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private @Nullable Instant purchasedAt;
    private @Nullable Instant expiration;
    private boolean expirationSet;
    private String appUserId = "user_1";
    private List<String> entitlementIds = List.of("pro");
    private String productId = "tollgate_pro_monthly";
    private @Nullable String newProductId;
    private String store = "APP_STORE";
    private String environment = "PRODUCTION";
    private String periodType = "NORMAL";
    private @Nullable String cancelReason;
    private @Nullable String expirationReason;
    private @Nullable Instant gracePeriodExpiration;
    private @Nullable Instant autoResumeAt;
    private List<String> transferredFrom = List.of("user_old");
    private List<String> transferredTo = List.of("user_1");

    private RevenueCatEventFixture(String type) {
        this.type = type;
    }

    /**
     * Starts an event of a type named as RevenueCat names it.
     *
     * @param type one of {@link #EVENT_TYPES}
     * @return the fixture
     * @throws IllegalArgumentException for another type, listing the supported ones
     */
    public static RevenueCatEventFixture of(String type) {
        Objects.requireNonNull(type, "type");
        if (!EVENT_TYPES.contains(type)) {
            throw new IllegalArgumentException("no RevenueCat fixture for event type '" + type + "'; supported: "
                    + String.join(", ", EVENT_TYPES));
        }
        return new RevenueCatEventFixture(type);
    }

    /** @return an {@code INITIAL_PURCHASE} event */
    public static RevenueCatEventFixture initialPurchase() {
        return of("INITIAL_PURCHASE");
    }

    /** @return a {@code RENEWAL} event */
    public static RevenueCatEventFixture renewal() {
        return of("RENEWAL");
    }

    /** @return a {@code CANCELLATION} event ({@code cancel_reason} {@code UNSUBSCRIBE} unless set) */
    public static RevenueCatEventFixture cancellation() {
        return of("CANCELLATION");
    }

    /** @return a {@code BILLING_ISSUE} event */
    public static RevenueCatEventFixture billingIssue() {
        return of("BILLING_ISSUE");
    }

    /** @return an {@code EXPIRATION} event ({@code expiration_reason} {@code UNSUBSCRIBE} unless set) */
    public static RevenueCatEventFixture expiration() {
        return of("EXPIRATION");
    }

    /** @return an {@code UNCANCELLATION} event */
    public static RevenueCatEventFixture uncancellation() {
        return of("UNCANCELLATION");
    }

    /** @return a {@code PRODUCT_CHANGE} event ({@code new_product_id} {@code tollgate_pro_yearly} unless set) */
    public static RevenueCatEventFixture productChange() {
        return of("PRODUCT_CHANGE");
    }

    /** @return a {@code NON_RENEWING_PURCHASE} event */
    public static RevenueCatEventFixture nonRenewingPurchase() {
        return of("NON_RENEWING_PURCHASE");
    }

    /** @return a {@code SUBSCRIPTION_PAUSED} event */
    public static RevenueCatEventFixture subscriptionPaused() {
        return of("SUBSCRIPTION_PAUSED");
    }

    /** @return a {@code TRANSFER} event */
    public static RevenueCatEventFixture transfer() {
        return of("TRANSFER");
    }

    /** @return a {@code TEST} event, as the dashboard's "send test event" button sends */
    public static RevenueCatEventFixture test() {
        return of("TEST");
    }

    /**
     * @param eventId {@code event.id}, the idempotency key (default a random upper-case UUID)
     * @return this fixture
     */
    public RevenueCatEventFixture id(String eventId) {
        this.id = Objects.requireNonNull(eventId, "eventId");
        return this;
    }

    /**
     * @param at {@code event.event_timestamp_ms}, the event's creation time (default now, milliseconds)
     * @return this fixture
     */
    public RevenueCatEventFixture eventTimestamp(Instant at) {
        this.eventTimestamp = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        return this;
    }

    /**
     * @param at {@code purchased_at_ms} (default the event timestamp)
     * @return this fixture
     */
    public RevenueCatEventFixture purchasedAt(Instant at) {
        this.purchasedAt = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        return this;
    }

    /**
     * @param at {@code expiration_at_ms}; {@code null} writes JSON null (a lifetime purchase). Default 30 days
     *           after the purchase, none for {@code NON_RENEWING_PURCHASE}
     * @return this fixture
     */
    public RevenueCatEventFixture expiration(@Nullable Instant at) {
        this.expiration = at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
        this.expirationSet = true;
        return this;
    }

    /**
     * @param userId {@code app_user_id} (and {@code original_app_user_id}); default {@code user_1}
     * @return this fixture
     */
    public RevenueCatEventFixture appUserId(String userId) {
        this.appUserId = Objects.requireNonNull(userId, "userId");
        return this;
    }

    /**
     * @param ids {@code entitlement_ids} (default {@code pro}); none is allowed
     * @return this fixture
     */
    public RevenueCatEventFixture entitlementIds(String... ids) {
        this.entitlementIds = List.of(Objects.requireNonNull(ids, "ids"));
        return this;
    }

    /**
     * @param id {@code product_id} (default {@code tollgate_pro_monthly})
     * @return this fixture
     */
    public RevenueCatEventFixture productId(String id) {
        this.productId = Objects.requireNonNull(id, "id");
        return this;
    }

    /**
     * @param id {@code new_product_id} of a {@code PRODUCT_CHANGE}
     * @return this fixture
     */
    public RevenueCatEventFixture newProductId(String id) {
        this.newProductId = Objects.requireNonNull(id, "id");
        return this;
    }

    /**
     * @param storeName {@code store}: {@code APP_STORE} (default), {@code PLAY_STORE}, {@code STRIPE}, …
     * @return this fixture
     */
    public RevenueCatEventFixture store(String storeName) {
        this.store = Objects.requireNonNull(storeName, "storeName");
        return this;
    }

    /**
     * @param name {@code environment}: {@code PRODUCTION} (default) or {@code SANDBOX}
     * @return this fixture
     */
    public RevenueCatEventFixture environment(String name) {
        this.environment = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * @param type {@code period_type}: {@code NORMAL} (default), {@code TRIAL}, {@code INTRO}, {@code PREPAID}
     * @return this fixture
     */
    public RevenueCatEventFixture periodType(String type) {
        this.periodType = Objects.requireNonNull(type, "type");
        return this;
    }

    /**
     * @param reason {@code cancel_reason} of a {@code CANCELLATION}, such as {@code BILLING_ERROR}
     * @return this fixture
     */
    public RevenueCatEventFixture cancelReason(String reason) {
        this.cancelReason = Objects.requireNonNull(reason, "reason");
        return this;
    }

    /**
     * @param reason {@code expiration_reason} of an {@code EXPIRATION}, such as {@code BILLING_ERROR}
     * @return this fixture
     */
    public RevenueCatEventFixture expirationReason(String reason) {
        this.expirationReason = Objects.requireNonNull(reason, "reason");
        return this;
    }

    /**
     * @param at {@code grace_period_expiration_at_ms} of a {@code BILLING_ISSUE} (absent unless set)
     * @return this fixture
     */
    public RevenueCatEventFixture gracePeriodExpiration(Instant at) {
        this.gracePeriodExpiration = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        return this;
    }

    /**
     * @param at {@code auto_resume_at_ms} of a {@code SUBSCRIPTION_PAUSED} (default 30 days after the expiration)
     * @return this fixture
     */
    public RevenueCatEventFixture autoResumeAt(Instant at) {
        this.autoResumeAt = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        return this;
    }

    /**
     * @param from the app user ids a {@code TRANSFER} moves the purchases from
     * @param to the app user ids it moves them to
     * @return this fixture
     */
    public RevenueCatEventFixture transfer(List<String> from, List<String> to) {
        this.transferredFrom = List.copyOf(Objects.requireNonNull(from, "from"));
        this.transferredTo = List.copyOf(Objects.requireNonNull(to, "to"));
        return this;
    }

    /** @return the event type */
    public String type() {
        return type;
    }

    /**
     * Checks the settings and writes the body.
     *
     * @return the unsigned event
     * @throws IllegalArgumentException naming every problem at once
     */
    public EventPayload build() {
        List<String> problems = new ArrayList<>();
        if (id.isBlank()) {
            problems.add("id must not be blank");
        }
        if (!type.equals("TRANSFER") && appUserId.isBlank()) {
            problems.add("appUserId must not be blank");
        }
        if (entitlementIds.stream().anyMatch(String::isBlank)) {
            problems.add("entitlement ids must not be blank, but were " + entitlementIds);
        }
        if (productId.isBlank()) {
            problems.add("productId must not be blank");
        }
        if (newProductId != null && !type.equals("PRODUCT_CHANGE")) {
            problems.add("newProductId applies to PRODUCT_CHANGE only, not to " + type);
        }
        if (cancelReason != null && !type.equals("CANCELLATION")) {
            problems.add("cancelReason applies to CANCELLATION only, not to " + type);
        }
        if (expirationReason != null && !type.equals("EXPIRATION")) {
            problems.add("expirationReason applies to EXPIRATION only, not to " + type);
        }
        if (gracePeriodExpiration != null && !type.equals("BILLING_ISSUE")) {
            problems.add("gracePeriodExpiration applies to BILLING_ISSUE only, not to " + type);
        }
        if (autoResumeAt != null && !type.equals("SUBSCRIPTION_PAUSED")) {
            problems.add("autoResumeAt applies to SUBSCRIPTION_PAUSED only, not to " + type);
        }
        if (type.equals("TRANSFER") && (transferredFrom.isEmpty() || transferredTo.isEmpty())) {
            problems.add("a TRANSFER needs at least one app user id on each side");
        }
        if (!problems.isEmpty()) {
            throw JsonBodies.invalid("RevenueCat " + type + " fixture", problems);
        }

        ObjectNode body = JsonBodies.object();
        ObjectNode event = body.putObject("event");
        if (type.equals("TRANSFER")) {
            event.put("app_id", "app_tollgate_test");
            event.put("event_timestamp_ms", eventTimestamp.toEpochMilli());
            event.put("id", id);
            event.put("store", store);
            strings(event.putArray("transferred_from"), transferredFrom);
            strings(event.putArray("transferred_to"), transferredTo);
            event.put("type", type);
            event.put("environment", environment);
        } else {
            purchaseEvent(event);
        }
        body.put("api_version", "1.0");
        return new EventPayload(id, type, eventTimestamp, JsonBodies.write(body));
    }

    private void purchaseEvent(ObjectNode event) {
        Instant purchased = purchasedAt != null ? purchasedAt : eventTimestamp;
        Instant expires = expirationSet ? expiration
                : type.equals("NON_RENEWING_PURCHASE") ? null : purchased.plus(Duration.ofDays(30));
        event.put("event_timestamp_ms", eventTimestamp.toEpochMilli());
        event.put("product_id", productId);
        event.put("period_type", periodType);
        event.put("purchased_at_ms", purchased.toEpochMilli());
        if (expires == null) {
            event.putNull("expiration_at_ms");
        } else {
            event.put("expiration_at_ms", expires.toEpochMilli());
        }
        event.put("environment", environment);
        event.putNull("entitlement_id");
        strings(event.putArray("entitlement_ids"), entitlementIds);
        event.putNull("presented_offering_id");
        String transaction = Long.toString(Math.abs((long) id.hashCode()) + 100_000_000_000_000L);
        event.put("transaction_id", transaction);
        event.put("original_transaction_id", transaction);
        event.put("is_family_share", false);
        event.put("country_code", "US");
        event.put("app_user_id", appUserId);
        strings(event.putArray("aliases"), List.of(appUserId));
        event.put("original_app_user_id", appUserId);
        switch (type) {
            case "CANCELLATION" -> event.put("cancel_reason", cancelReason != null ? cancelReason : "UNSUBSCRIBE");
            case "EXPIRATION" -> event.put("expiration_reason",
                    expirationReason != null ? expirationReason : "UNSUBSCRIBE");
            case "PRODUCT_CHANGE" -> event.put("new_product_id",
                    newProductId != null ? newProductId : "tollgate_pro_yearly");
            case "BILLING_ISSUE" -> {
                if (gracePeriodExpiration != null) {
                    event.put("grace_period_expiration_at_ms", gracePeriodExpiration.toEpochMilli());
                }
            }
            case "SUBSCRIPTION_PAUSED" -> event.put("auto_resume_at_ms", (autoResumeAt != null ? autoResumeAt
                    : (expires != null ? expires : purchased).plus(Duration.ofDays(30))).toEpochMilli());
            case "RENEWAL" -> event.put("is_trial_conversion", false);
            default -> {
                // no type-specific field
            }
        }
        boolean charged = type.equals("INITIAL_PURCHASE") || type.equals("RENEWAL")
                || type.equals("NON_RENEWING_PURCHASE");
        event.put("currency", "USD");
        event.put("price", charged ? 14.99 : 0.0);
        event.put("price_in_purchased_currency", charged ? 14.99 : 0.0);
        event.putObject("subscriber_attributes");
        event.put("store", store);
        event.put("takehome_percentage", 0.7);
        event.putNull("offer_code");
        event.put("tax_percentage", 0.0);
        event.put("commission_percentage", 0.3);
        event.put("type", type);
        event.put("id", id);
        event.put("app_id", "app_tollgate_test");
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
