package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.Stripe;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds realistic Stripe webhook events, shaped like the payloads Stripe sends (envelope, subscription,
 * invoice and checkout session objects), with every field a billing test cares about under control.
 *
 * <pre>{@code
 * EventPayload event = StripeEventFixture.subscriptionUpdated()
 *         .id("evt_past_due_1")
 *         .created(clock.instant())
 *         .customer("cus_42").subscription("sub_42").tenant("tenant-42")
 *         .status("past_due").previousStatus("active")
 *         .periodEnd(clock.instant().plus(Duration.ofDays(30)))
 *         .build();
 * SignedDelivery delivery = StripeSigner.of(secret, clock).sign(event);
 * }</pre>
 *
 * <p>Object shape follows the {@linkplain #apiVersion(String) API version}: from {@code 2025-03-31.basil} on,
 * period times sit on {@code items.data[].current_period_*} and an invoice names its subscription in
 * {@code parent.subscription_details}; older versions also get the top-level {@code current_period_*} and
 * {@code subscription} fields they had. The tenant goes into {@code metadata.tenant_id} (key configurable) of
 * the subscription, the invoice's {@code parent.subscription_details.metadata} and the checkout session, which
 * also carries it as {@code client_reference_id}. Defaults: random ids, {@code created} now (system clock,
 * whole seconds), status {@code active} ({@code canceled} for deleted, {@code paused} for paused), period end
 * 30 days after {@code created}, one monthly price of 15.00 USD. Not thread-safe.
 */
public final class StripeEventFixture {

    /** The API version written by default: the one the stripe-java on the class path is pinned to. */
    public static final String DEFAULT_API_VERSION = Stripe.API_VERSION;

    /** The first API version with the current ("basil") subscription and invoice shape. */
    public static final String BASIL_API_VERSION = "2025-03-31.basil";

    /** Every subscription status Stripe has. */
    public static final Set<String> SUBSCRIPTION_STATUSES = Set.of("trialing", "active", "incomplete",
            "incomplete_expired", "past_due", "unpaid", "canceled", "paused");

    /** Every event type this fixture builds, in a stable order. */
    public static final List<String> EVENT_TYPES = List.of("customer.subscription.created",
            "customer.subscription.updated", "customer.subscription.deleted", "customer.subscription.paused",
            "customer.subscription.resumed", "invoice.paid", "invoice.payment_failed",
            "invoice.payment_action_required", "checkout.session.completed");

    private static final Duration PERIOD = Duration.ofDays(30);

    private final String type;
    private String id = JsonBodies.randomId("evt_");
    private Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private @Nullable String apiVersion = DEFAULT_API_VERSION;
    private String customer = JsonBodies.randomId("cus_");
    private String subscription = JsonBodies.randomId("sub_");
    private String invoice = JsonBodies.randomId("in_");
    private String checkoutSession = JsonBodies.randomId("cs_test_");
    private String price = "price_tollgate_pro_monthly";
    private String product = "prod_tollgate_pro";
    private long unitAmount = 1500;
    private String currency = "usd";
    private @Nullable String tenant;
    private String tenantMetadataKey = "tenant_id";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private @Nullable String status;
    private @Nullable String previousStatus;
    private @Nullable Instant periodEnd;
    private boolean cancelAtPeriodEnd;
    private @Nullable String clientReferenceId;
    private String checkoutMode = "subscription";
    private boolean livemode;

    private StripeEventFixture(String type) {
        this.type = type;
    }

    /** @return a {@code customer.subscription.created} event, status {@code active} unless set */
    public static StripeEventFixture subscriptionCreated() {
        return new StripeEventFixture("customer.subscription.created");
    }

    /** @return a {@code customer.subscription.updated} event, status {@code active} unless set */
    public static StripeEventFixture subscriptionUpdated() {
        return new StripeEventFixture("customer.subscription.updated");
    }

    /** @return a {@code customer.subscription.deleted} event, status {@code canceled} unless set */
    public static StripeEventFixture subscriptionDeleted() {
        return new StripeEventFixture("customer.subscription.deleted");
    }

    /** @return a {@code customer.subscription.paused} event, status {@code paused} unless set */
    public static StripeEventFixture subscriptionPaused() {
        return new StripeEventFixture("customer.subscription.paused");
    }

    /** @return a {@code customer.subscription.resumed} event, status {@code active} unless set */
    public static StripeEventFixture subscriptionResumed() {
        return new StripeEventFixture("customer.subscription.resumed");
    }

    /** @return an {@code invoice.paid} event for a subscription's renewal invoice */
    public static StripeEventFixture invoicePaid() {
        return new StripeEventFixture("invoice.paid");
    }

    /** @return an {@code invoice.payment_failed} event (open invoice, one failed attempt, a retry scheduled) */
    public static StripeEventFixture invoicePaymentFailed() {
        return new StripeEventFixture("invoice.payment_failed");
    }

    /** @return an {@code invoice.payment_action_required} event (open invoice awaiting customer authentication) */
    public static StripeEventFixture invoicePaymentActionRequired() {
        return new StripeEventFixture("invoice.payment_action_required");
    }

    /** @return a {@code checkout.session.completed} event for a subscription checkout */
    public static StripeEventFixture checkoutSessionCompleted() {
        return new StripeEventFixture("checkout.session.completed");
    }

    /**
     * Starts an event of a type named as Stripe names it.
     *
     * @param type one of {@link #EVENT_TYPES}
     * @return the fixture
     * @throws IllegalArgumentException for another type, listing the supported ones
     */
    public static StripeEventFixture of(String type) {
        Objects.requireNonNull(type, "type");
        if (!EVENT_TYPES.contains(type)) {
            throw new IllegalArgumentException("no Stripe fixture for event type '" + type + "'; supported: "
                    + String.join(", ", EVENT_TYPES));
        }
        return new StripeEventFixture(type);
    }

    /**
     * @param eventId the event id, the idempotency key (default random {@code evt_…})
     * @return this fixture
     */
    public StripeEventFixture id(String eventId) {
        this.id = Objects.requireNonNull(eventId, "eventId");
        return this;
    }

    /**
     * @param createdAt the event's {@code created} time, written in whole seconds (default now)
     * @return this fixture
     */
    public StripeEventFixture created(Instant createdAt) {
        this.created = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    /**
     * @param version the {@code api_version}, such as {@code 2024-06-20} (older shape) or
     *                {@code 2025-03-31.basil}; {@code null} writes JSON null, as for events of no version
     * @return this fixture
     */
    public StripeEventFixture apiVersion(@Nullable String version) {
        this.apiVersion = version;
        return this;
    }

    /**
     * @param customerId the Stripe customer id (default random {@code cus_…})
     * @return this fixture
     */
    public StripeEventFixture customer(String customerId) {
        this.customer = Objects.requireNonNull(customerId, "customerId");
        return this;
    }

    /**
     * @param subscriptionId the subscription id (default random {@code sub_…})
     * @return this fixture
     */
    public StripeEventFixture subscription(String subscriptionId) {
        this.subscription = Objects.requireNonNull(subscriptionId, "subscriptionId");
        return this;
    }

    /**
     * @param invoiceId the invoice id of invoice events (default random {@code in_…})
     * @return this fixture
     */
    public StripeEventFixture invoice(String invoiceId) {
        this.invoice = Objects.requireNonNull(invoiceId, "invoiceId");
        return this;
    }

    /**
     * @param sessionId the checkout session id (default random {@code cs_test_…})
     * @return this fixture
     */
    public StripeEventFixture checkoutSession(String sessionId) {
        this.checkoutSession = Objects.requireNonNull(sessionId, "sessionId");
        return this;
    }

    /**
     * @param priceId the price of the subscription's one item (default {@code price_tollgate_pro_monthly})
     * @return this fixture
     */
    public StripeEventFixture price(String priceId) {
        this.price = Objects.requireNonNull(priceId, "priceId");
        return this;
    }

    /**
     * @param amount the monthly unit amount in the currency's smallest unit (default 1500)
     * @return this fixture
     */
    public StripeEventFixture unitAmount(long amount) {
        this.unitAmount = amount;
        return this;
    }

    /**
     * @param tenantId the tenant written into the metadata (and the checkout's {@code client_reference_id});
     *                 none by default
     * @return this fixture
     */
    public StripeEventFixture tenant(String tenantId) {
        this.tenant = Objects.requireNonNull(tenantId, "tenantId");
        return this;
    }

    /**
     * @param key the metadata key the tenant is written under (default {@code tenant_id})
     * @return this fixture
     */
    public StripeEventFixture tenantMetadataKey(String key) {
        this.tenantMetadataKey = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * Adds a metadata entry to the subscription, invoice subscription details and checkout session.
     *
     * @param key the key
     * @param value the value
     * @return this fixture
     */
    public StripeEventFixture metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param subscriptionStatus the subscription's {@code status}, one of {@link #SUBSCRIPTION_STATUSES}
     *                           (subscription events only)
     * @return this fixture
     */
    public StripeEventFixture status(String subscriptionStatus) {
        this.status = Objects.requireNonNull(subscriptionStatus, "subscriptionStatus");
        return this;
    }

    /**
     * @param subscriptionStatus the status before the change, written as {@code data.previous_attributes.status}
     *                           ({@code customer.subscription.updated} only)
     * @return this fixture
     */
    public StripeEventFixture previousStatus(String subscriptionStatus) {
        this.previousStatus = Objects.requireNonNull(subscriptionStatus, "subscriptionStatus");
        return this;
    }

    /**
     * @param end the end of the current period (default 30 days after {@code created}); the period starts 30 days
     *            before it
     * @return this fixture
     */
    public StripeEventFixture periodEnd(Instant end) {
        this.periodEnd = Objects.requireNonNull(end, "end").truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    /**
     * @param cancel whether the subscription ends at the period end ({@code cancel_at_period_end}, {@code cancel_at})
     * @return this fixture
     */
    public StripeEventFixture cancelAtPeriodEnd(boolean cancel) {
        this.cancelAtPeriodEnd = cancel;
        return this;
    }

    /**
     * @param reference the checkout session's {@code client_reference_id} (default the tenant)
     * @return this fixture
     */
    public StripeEventFixture clientReferenceId(String reference) {
        this.clientReferenceId = Objects.requireNonNull(reference, "reference");
        return this;
    }

    /**
     * @param mode the checkout session's {@code mode}: {@code subscription} (default), {@code payment} or
     *             {@code setup}; only {@code subscription} links a subscription
     * @return this fixture
     */
    public StripeEventFixture checkoutMode(String mode) {
        this.checkoutMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * @param live the {@code livemode} flag (default false)
     * @return this fixture
     */
    public StripeEventFixture livemode(boolean live) {
        this.livemode = live;
        return this;
    }

    /** @return the event type */
    public String type() {
        return type;
    }

    /**
     * Checks the settings and writes the event.
     *
     * @return the unsigned event
     * @throws IllegalArgumentException naming every problem at once
     */
    public EventPayload build() {
        List<String> problems = new ArrayList<>();
        boolean subscriptionEvent = type.startsWith("customer.subscription.");
        requireText(problems, "id", id);
        requireText(problems, "customer", customer);
        requireText(problems, "subscription", subscription);
        requireText(problems, "price", price);
        requireText(problems, "tenantMetadataKey", tenantMetadataKey);
        if (tenant != null && tenant.isEmpty()) {
            problems.add("tenant must not be empty");
        }
        if (status != null && !subscriptionEvent) {
            problems.add("status applies to customer.subscription.* events, not to " + type);
        }
        if (status != null && !SUBSCRIPTION_STATUSES.contains(status)) {
            problems.add("status must be one of " + new java.util.TreeSet<>(SUBSCRIPTION_STATUSES) + ", but was '"
                    + status + "'");
        }
        if (previousStatus != null && !type.equals("customer.subscription.updated")) {
            problems.add("previousStatus applies to customer.subscription.updated only, not to " + type);
        }
        if (previousStatus != null && !SUBSCRIPTION_STATUSES.contains(previousStatus)) {
            problems.add("previousStatus must be a subscription status, but was '" + previousStatus + "'");
        }
        if (unitAmount < 0) {
            problems.add("unitAmount must not be negative, but was " + unitAmount);
        }
        if (!Set.of("subscription", "payment", "setup").contains(checkoutMode)) {
            problems.add("checkoutMode must be subscription, payment or setup, but was '" + checkoutMode + "'");
        }
        if (!problems.isEmpty()) {
            throw JsonBodies.invalid("Stripe " + type + " fixture", problems);
        }

        ObjectNode event = JsonBodies.object();
        event.put("id", id);
        event.put("object", "event");
        if (apiVersion == null) {
            event.putNull("api_version");
        } else {
            event.put("api_version", apiVersion);
        }
        event.put("created", created.getEpochSecond());
        ObjectNode data = event.putObject("data");
        data.set("object", dataObject());
        if (type.equals("customer.subscription.updated")) {
            ObjectNode previous = data.putObject("previous_attributes");
            if (previousStatus != null) {
                previous.put("status", previousStatus);
            }
        }
        event.put("livemode", livemode);
        event.put("pending_webhooks", 1);
        ObjectNode request = event.putObject("request");
        request.put("id", JsonBodies.randomId("req_").substring(0, 18));
        request.putNull("idempotency_key");
        event.put("type", type);
        return new EventPayload(id, type, created, JsonBodies.write(event));
    }

    private static void requireText(List<String> problems, String name, String value) {
        if (value.isBlank()) {
            problems.add(name + " must not be blank");
        }
    }

    private ObjectNode dataObject() {
        if (type.startsWith("customer.subscription.")) {
            return subscriptionObject();
        }
        if (type.startsWith("invoice.")) {
            return invoiceObject();
        }
        return checkoutSessionObject();
    }

    private boolean legacyShape() {
        return apiVersion != null && apiVersion.length() >= 10
                && apiVersion.substring(0, 10).compareTo(BASIL_API_VERSION.substring(0, 10)) < 0;
    }

    private Instant end() {
        return periodEnd != null ? periodEnd : created.plus(PERIOD);
    }

    private Instant start() {
        return end().minus(PERIOD);
    }

    private String effectiveStatus() {
        if (status != null) {
            return status;
        }
        return switch (type) {
            case "customer.subscription.deleted" -> "canceled";
            case "customer.subscription.paused" -> "paused";
            default -> "active";
        };
    }

    private ObjectNode metadataNode() {
        ObjectNode node = JsonBodies.object();
        if (tenant != null) {
            node.put(tenantMetadataKey, tenant);
        }
        metadata.forEach(node::put);
        return node;
    }

    private ObjectNode subscriptionObject() {
        String subStatus = effectiveStatus();
        boolean ended = subStatus.equals("canceled") || subStatus.equals("incomplete_expired");
        long start = start().getEpochSecond();
        long end = end().getEpochSecond();
        ObjectNode sub = JsonBodies.object();
        sub.put("id", subscription);
        sub.put("object", "subscription");
        sub.putNull("application");
        sub.putNull("application_fee_percent");
        ObjectNode tax = sub.putObject("automatic_tax");
        tax.put("enabled", false);
        tax.putNull("liability");
        tax.putNull("disabled_reason");
        sub.put("billing_cycle_anchor", start);
        sub.putNull("billing_cycle_anchor_config");
        sub.putNull("billing_thresholds");
        if (cancelAtPeriodEnd) {
            sub.put("cancel_at", end);
        } else {
            sub.putNull("cancel_at");
        }
        sub.put("cancel_at_period_end", cancelAtPeriodEnd);
        if (ended || cancelAtPeriodEnd) {
            sub.put("canceled_at", created.getEpochSecond());
        } else {
            sub.putNull("canceled_at");
        }
        ObjectNode cancellation = sub.putObject("cancellation_details");
        cancellation.putNull("comment");
        cancellation.putNull("feedback");
        if (ended || cancelAtPeriodEnd) {
            cancellation.put("reason", "cancellation_requested");
        } else {
            cancellation.putNull("reason");
        }
        sub.put("collection_method", "charge_automatically");
        sub.put("created", start);
        sub.put("currency", currency);
        if (legacyShape()) {
            sub.put("current_period_end", end);
            sub.put("current_period_start", start);
        }
        sub.put("customer", customer);
        sub.putNull("days_until_due");
        sub.put("default_payment_method", "pm_card_visa");
        sub.putNull("default_source");
        sub.putArray("default_tax_rates");
        sub.putNull("description");
        sub.putArray("discounts");
        if (ended) {
            sub.put("ended_at", created.getEpochSecond());
        } else {
            sub.putNull("ended_at");
        }
        ObjectNode invoiceSettings = sub.putObject("invoice_settings");
        invoiceSettings.putNull("account_tax_ids");
        invoiceSettings.putObject("issuer").put("type", "self");
        ObjectNode items = sub.putObject("items");
        items.put("object", "list");
        ArrayNode itemData = items.putArray("data");
        ObjectNode item = itemData.addObject();
        item.put("id", "si_" + subscription.substring(Math.min(4, subscription.length())));
        item.put("object", "subscription_item");
        item.put("created", start);
        item.put("current_period_end", end);
        item.put("current_period_start", start);
        item.putArray("discounts");
        item.putObject("metadata");
        item.set("price", priceObject());
        item.put("quantity", 1);
        item.put("subscription", subscription);
        item.putArray("tax_rates");
        items.put("has_more", false);
        items.put("url", "/v1/subscription_items?subscription=" + subscription);
        sub.put("latest_invoice", invoice);
        sub.put("livemode", livemode);
        sub.set("metadata", metadataNode());
        sub.putNull("next_pending_invoice_item_invoice");
        sub.putNull("on_behalf_of");
        sub.putNull("pause_collection");
        ObjectNode paymentSettings = sub.putObject("payment_settings");
        paymentSettings.putNull("payment_method_options");
        paymentSettings.putNull("payment_method_types");
        paymentSettings.put("save_default_payment_method", "off");
        sub.putNull("pending_invoice_item_interval");
        sub.putNull("pending_setup_intent");
        sub.putNull("pending_update");
        sub.putNull("schedule");
        sub.put("start_date", start);
        sub.put("status", subStatus);
        sub.putNull("test_clock");
        sub.putNull("transfer_data");
        if (subStatus.equals("trialing")) {
            sub.put("trial_end", end);
            sub.put("trial_start", start);
        } else {
            sub.putNull("trial_end");
            sub.putNull("trial_start");
        }
        ObjectNode trialSettings = sub.putObject("trial_settings");
        trialSettings.putObject("end_behavior").put("missing_payment_method", "create_invoice");
        return sub;
    }

    private ObjectNode priceObject() {
        ObjectNode p = JsonBodies.object();
        p.put("id", price);
        p.put("object", "price");
        p.put("active", true);
        p.put("billing_scheme", "per_unit");
        p.put("created", start().getEpochSecond());
        p.put("currency", currency);
        p.put("livemode", livemode);
        p.putNull("lookup_key");
        p.putObject("metadata");
        p.putNull("nickname");
        p.put("product", product);
        ObjectNode recurring = p.putObject("recurring");
        recurring.put("interval", "month");
        recurring.put("interval_count", 1);
        recurring.putNull("meter");
        recurring.putNull("trial_period_days");
        recurring.put("usage_type", "licensed");
        p.put("tax_behavior", "unspecified");
        p.putNull("tiers_mode");
        p.putNull("transform_quantity");
        p.put("type", "recurring");
        p.put("unit_amount", unitAmount);
        p.put("unit_amount_decimal", Long.toString(unitAmount));
        return p;
    }

    private ObjectNode invoiceObject() {
        boolean paid = type.equals("invoice.paid");
        long now = created.getEpochSecond();
        long lineStart = start().getEpochSecond();
        long lineEnd = end().getEpochSecond();
        ObjectNode inv = JsonBodies.object();
        inv.put("id", invoice);
        inv.put("object", "invoice");
        inv.put("account_country", "US");
        inv.put("account_name", "Tollgate Test");
        inv.putNull("account_tax_ids");
        inv.put("amount_due", unitAmount);
        inv.put("amount_paid", paid ? unitAmount : 0);
        inv.put("amount_remaining", paid ? 0 : unitAmount);
        inv.put("amount_shipping", 0);
        inv.putNull("application");
        inv.put("attempt_count", 1);
        inv.put("attempted", true);
        inv.put("auto_advance", !paid);
        ObjectNode tax = inv.putObject("automatic_tax");
        tax.putNull("disabled_reason");
        tax.put("enabled", false);
        tax.putNull("liability");
        tax.putNull("status");
        inv.put("billing_reason", "subscription_cycle");
        inv.put("collection_method", "charge_automatically");
        inv.put("created", now);
        inv.put("currency", currency);
        inv.put("customer", customer);
        inv.putNull("customer_email");
        inv.putNull("customer_name");
        inv.putNull("default_payment_method");
        inv.putNull("description");
        inv.putArray("discounts");
        inv.putNull("due_date");
        inv.put("effective_at", now);
        inv.put("ending_balance", 0);
        inv.putNull("hosted_invoice_url");
        inv.putNull("invoice_pdf");
        inv.putNull("last_finalization_error");
        ObjectNode lines = inv.putObject("lines");
        lines.put("object", "list");
        ObjectNode line = lines.putArray("data").addObject();
        line.put("id", "il_" + invoice.substring(Math.min(3, invoice.length())));
        line.put("object", "line_item");
        line.put("amount", unitAmount);
        line.put("currency", currency);
        line.put("description", "1 × Tollgate Pro (at " + unitAmount / 100 + "." + String.format("%02d", unitAmount % 100)
                + " " + currency.toUpperCase(java.util.Locale.ROOT) + " / month)");
        line.putArray("discount_amounts");
        line.put("discountable", true);
        line.putArray("discounts");
        line.put("invoice", invoice);
        line.put("livemode", livemode);
        line.set("metadata", metadataNode());
        ObjectNode lineParent = line.putObject("parent");
        lineParent.putNull("invoice_item_details");
        ObjectNode itemDetails = lineParent.putObject("subscription_item_details");
        itemDetails.putNull("invoice_item");
        itemDetails.put("proration", false);
        itemDetails.putNull("proration_details");
        itemDetails.put("subscription", subscription);
        itemDetails.put("subscription_item", "si_" + subscription.substring(Math.min(4, subscription.length())));
        lineParent.put("type", "subscription_item_details");
        ObjectNode period = line.putObject("period");
        period.put("end", lineEnd);
        period.put("start", lineStart);
        ObjectNode pricing = line.putObject("pricing");
        ObjectNode priceDetails = pricing.putObject("price_details");
        priceDetails.put("price", price);
        priceDetails.put("product", product);
        pricing.put("type", "price_details");
        pricing.put("unit_amount_decimal", Long.toString(unitAmount));
        line.put("quantity", 1);
        if (legacyShape()) {
            line.put("subscription", subscription);
        } else {
            line.putNull("subscription");
        }
        line.putArray("taxes");
        lines.put("has_more", false);
        lines.put("url", "/v1/invoices/" + invoice + "/lines");
        inv.put("livemode", livemode);
        inv.putObject("metadata");
        if (paid) {
            inv.putNull("next_payment_attempt");
        } else if (type.equals("invoice.payment_failed")) {
            inv.put("next_payment_attempt", now + Duration.ofDays(3).getSeconds());
        } else {
            inv.putNull("next_payment_attempt");
        }
        inv.put("number", "TG-" + Long.toString(Math.abs((long) invoice.hashCode()), 36).toUpperCase(java.util.Locale.ROOT)
                + "-0001");
        if (legacyShape()) {
            inv.put("paid", paid);
            inv.putNull("payment_intent");
            inv.put("subscription", subscription);
            inv.putObject("subscription_details").set("metadata", metadataNode());
        } else {
            ObjectNode parent = inv.putObject("parent");
            parent.putNull("quote_details");
            ObjectNode details = parent.putObject("subscription_details");
            details.set("metadata", metadataNode());
            details.put("subscription", subscription);
            parent.put("type", "subscription_details");
        }
        inv.put("period_end", lineStart);
        inv.put("period_start", lineStart - PERIOD.getSeconds());
        inv.put("status", paid ? "paid" : "open");
        ObjectNode transitions = inv.putObject("status_transitions");
        transitions.put("finalized_at", now);
        transitions.putNull("marked_uncollectible_at");
        if (paid) {
            transitions.put("paid_at", now);
        } else {
            transitions.putNull("paid_at");
        }
        transitions.putNull("voided_at");
        inv.put("subtotal", unitAmount);
        inv.put("total", unitAmount);
        inv.put("webhooks_delivered_at", now);
        return inv;
    }

    private ObjectNode checkoutSessionObject() {
        boolean subscriptionMode = checkoutMode.equals("subscription");
        long now = created.getEpochSecond();
        ObjectNode s = JsonBodies.object();
        s.put("id", checkoutSession);
        s.put("object", "checkout.session");
        s.putNull("after_expiration");
        s.putNull("allow_promotion_codes");
        s.put("amount_subtotal", unitAmount);
        s.put("amount_total", unitAmount);
        ObjectNode tax = s.putObject("automatic_tax");
        tax.put("enabled", false);
        tax.putNull("liability");
        tax.putNull("status");
        s.putNull("billing_address_collection");
        s.putNull("cancel_url");
        String reference = clientReferenceId != null ? clientReferenceId : tenant;
        if (reference == null) {
            s.putNull("client_reference_id");
        } else {
            s.put("client_reference_id", reference);
        }
        s.putNull("client_secret");
        s.putNull("consent");
        s.putNull("consent_collection");
        s.put("created", now);
        s.put("currency", currency);
        s.put("customer", customer);
        s.put("customer_creation", "always");
        ObjectNode details = s.putObject("customer_details");
        details.putNull("address");
        details.putNull("email");
        details.putNull("name");
        details.putNull("phone");
        details.put("tax_exempt", "none");
        details.putArray("tax_ids");
        s.putNull("customer_email");
        s.put("expires_at", now + Duration.ofHours(24).getSeconds());
        if (subscriptionMode) {
            s.put("invoice", invoice);
        } else {
            s.putNull("invoice");
        }
        s.put("livemode", livemode);
        s.putNull("locale");
        s.set("metadata", metadataNode());
        s.put("mode", checkoutMode);
        if (checkoutMode.equals("payment")) {
            s.put("payment_intent", JsonBodies.randomId("pi_"));
        } else {
            s.putNull("payment_intent");
        }
        s.putNull("payment_link");
        s.put("payment_method_collection", "always");
        s.putArray("payment_method_types").add("card");
        s.put("payment_status", checkoutMode.equals("setup") ? "no_payment_required" : "paid");
        s.put("status", "complete");
        if (subscriptionMode) {
            s.put("subscription", subscription);
        } else {
            s.putNull("subscription");
        }
        s.put("success_url", "https://example.com/billing/success?session_id={CHECKOUT_SESSION_ID}");
        ObjectNode totals = s.putObject("total_details");
        totals.put("amount_discount", 0);
        totals.put("amount_shipping", 0);
        totals.put("amount_tax", 0);
        s.put("ui_mode", "hosted");
        s.putNull("url");
        return s;
    }
}
