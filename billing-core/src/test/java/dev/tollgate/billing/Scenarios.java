package dev.tollgate.billing;

import static dev.tollgate.billing.Fixtures.checkoutSession;
import static dev.tollgate.billing.Fixtures.invoice;
import static dev.tollgate.billing.Fixtures.stripe;
import static dev.tollgate.billing.Fixtures.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic event sequences, in the order the provider created them (ids increase with creation;
 * some events share a second, as Stripe's often do).
 */
final class Scenarios {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    private Scenarios() {
    }

    /** A Stripe subscription's life: checkout (or metadata), creation, renewals, failures, maybe cancel. */
    static List<ProviderEvent> stripeLife(long seed, String tenant) {
        Random random = new Random(seed);
        List<ProviderEvent> events = new ArrayList<>();
        String customer = "cus_" + tenant;
        String sub = "sub_" + tenant;
        boolean metadata = random.nextBoolean();
        String tenantMeta = metadata ? tenant : null;
        Instant t = START;
        int[] n = {0};
        Instant period = t.plus(Duration.ofDays(30));
        String price = "price_basic";
        if (!metadata) {
            events.add(stripe(id(n), "checkout.session.completed", t, checkoutSession(customer, tenant, null)));
        }
        t = t.plusSeconds(random.nextInt(2));
        String status = random.nextBoolean() ? "trialing" : "active";
        events.add(stripe(id(n), "customer.subscription.created", t,
                subscription(sub, customer, status, tenantMeta, period, price)));
        int steps = 3 + random.nextInt(7);
        boolean deleted = false;
        for (int i = 0; i < steps && !deleted; i++) {
            t = t.plusSeconds(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(86_400));
            switch (random.nextInt(7)) {
                case 0 -> {
                    period = period.plus(Duration.ofDays(30));
                    events.add(stripe(id(n), "invoice.paid", t,
                            invoice("in_" + n[0], customer, sub, tenantMeta, "subscription_cycle", random.nextBoolean())));
                    events.add(stripe(id(n), "customer.subscription.updated", t,
                            subscription(sub, customer, "active", tenantMeta, period, price)));
                }
                case 1 -> {
                    events.add(stripe(id(n), "invoice.payment_failed", t,
                            invoice("in_" + n[0], customer, sub, tenantMeta, "subscription_cycle", random.nextBoolean())));
                    events.add(stripe(id(n), "customer.subscription.updated", t,
                            subscription(sub, customer, "past_due", tenantMeta, period, price)));
                }
                case 2 -> events.add(stripe(id(n), "invoice.payment_action_required", t,
                        invoice("in_" + n[0], customer, sub, tenantMeta, "subscription_cycle", false)));
                case 3 -> {
                    price = random.nextBoolean() ? "price_pro" : "price_team";
                    ObjectNode updated = subscription(sub, customer, "active", tenantMeta, period, price);
                    updated.with("metadata").put("entitlements", price.equals("price_pro") ? "pro_access" : "team,pro_access");
                    events.add(stripe(id(n), "customer.subscription.updated", t, updated));
                }
                case 4 -> events.add(stripe(id(n), "customer.subscription.updated", t,
                        subscription(sub, customer, "unpaid", tenantMeta, period, price)));
                case 5 -> {
                    events.add(stripe(id(n), "customer.subscription.paused", t,
                            subscription(sub, customer, "paused", tenantMeta, period, price)));
                    t = t.plusSeconds(1 + random.nextInt(1000));
                    events.add(stripe(id(n), "customer.subscription.resumed", t,
                            subscription(sub, customer, "active", tenantMeta, period, price)));
                }
                default -> {
                    events.add(stripe(id(n), "customer.subscription.deleted", t,
                            subscription(sub, customer, "canceled", tenantMeta, period, price)));
                    deleted = true;
                }
            }
        }
        return events;
    }

    /** A RevenueCat subscriber's life. */
    static List<ProviderEvent> revenueCatLife(long seed, String appUser) {
        Random random = new Random(seed);
        List<ProviderEvent> events = new ArrayList<>();
        int[] n = {0};
        Instant t = START;
        Instant expiration = t.plus(Duration.ofDays(7));
        events.add(Fixtures.revenueCat(id(n), "INITIAL_PURCHASE", t, appUser, expiration, List.of("pro")));
        int steps = 3 + random.nextInt(7);
        String[] types = {"RENEWAL", "BILLING_ISSUE", "CANCELLATION", "UNCANCELLATION", "PRODUCT_CHANGE",
                "SUBSCRIPTION_PAUSED", "EXPIRATION", "NON_RENEWING_PURCHASE", "TEST", "SUBSCRIPTION_EXTENDED"};
        for (int i = 0; i < steps; i++) {
            t = t.plusMillis(random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(86_400_000));
            String type = types[random.nextInt(types.length)];
            if (type.equals("RENEWAL") || type.equals("SUBSCRIPTION_EXTENDED")) {
                expiration = expiration.plus(Duration.ofDays(7));
            }
            ObjectNode body = Fixtures.revenueCatBody(id(n), type, t, appUser, expiration,
                    random.nextBoolean() ? List.of("pro") : List.of("pro", "extra"));
            if (type.equals("BILLING_ISSUE")) {
                body.with("event").put("grace_period_expiration_at_ms", t.plus(Duration.ofDays(3)).toEpochMilli());
            }
            if (type.equals("PRODUCT_CHANGE")) {
                body.with("event").put("new_product_id", "com.example.pro.yearly");
            }
            events.add(ProviderEvent.of(BillingProvider.REVENUECAT, body));
        }
        return events;
    }

    private static String id(int[] n) {
        return String.format("evt_%04d", n[0]++);
    }
}
