package dev.tollgate.billing;

import dev.tollgate.billing.internal.RevenueCatEventMapper;
import dev.tollgate.billing.internal.StripeEventMapper;
import dev.tollgate.webhooks.WebhookEvent;
import dev.tollgate.webhooks.WebhookPayloadException;
import dev.tollgate.webhooks.WebhookPipeline;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Connects billing to webhook intake: registers a {@link BillingEventApplier} as the handler of every
 * Stripe and RevenueCat event type that changes billing state.
 *
 * <pre>{@code
 * WebhookPipeline pipeline = BillingWebhooks.register(
 *         WebhookPipeline.builder()
 *                 .verifier(stripeVerifier)
 *                 .verifier(revenueCatVerifier)
 *                 .store(PostgresIdempotencyStore.create(dataSource)),
 *         BillingEventApplier.ofDefaults())
 *     .build();
 * }</pre>
 *
 * <p>With a {@link dev.tollgate.webhooks.PostgresIdempotencyStore} the handlers are transactional: the
 * state change, its audit row and the event's completion commit together, so a redelivery can neither
 * apply the event twice nor lose it. Event types not listed in {@link #STRIPE_EVENT_TYPES} or
 * {@link #REVENUECAT_EVENT_TYPES} are acknowledged without effect ({@code skipped/unhandled_type}).
 * An event whose object lacks what billing needs is dead-lettered at once and answered 400
 * {@code invalid_event_object}: redelivering the same bytes cannot help.
 */
public final class BillingWebhooks {

    /** The Stripe event types billing handles. */
    public static final Set<String> STRIPE_EVENT_TYPES = StripeEventMapper.HANDLED_TYPES;

    /** The RevenueCat event types billing handles ({@code TEST} is acknowledged without effect). */
    public static final Set<String> REVENUECAT_EVENT_TYPES = withTest(RevenueCatEventMapper.HANDLED_TYPES);

    private BillingWebhooks() {
    }

    /**
     * Registers transactional handlers (the store must be a {@code PostgresIdempotencyStore}) that
     * apply events to the PostgreSQL billing tables in the claim's transaction.
     *
     * @param pipeline the pipeline builder, with its verifiers and store
     * @param applier the applier
     * @return the same builder
     */
    public static WebhookPipeline.Builder register(WebhookPipeline.Builder pipeline, BillingEventApplier applier) {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(applier, "applier");
        for (String type : allTypes()) {
            pipeline.onTransactional(type, (event, connection) -> {
                try {
                    applier.apply(connection, toProviderEvent(event));
                } catch (BillingException e) {
                    throw translate(e);
                }
            });
        }
        return pipeline;
    }

    /**
     * Registers handlers that apply events to an in-memory repository (tests, demos without a database).
     *
     * @param pipeline the pipeline builder
     * @param applier the applier
     * @param repository where the state lives
     * @return the same builder
     */
    public static WebhookPipeline.Builder register(WebhookPipeline.Builder pipeline, BillingEventApplier applier,
                                                   InMemoryBillingRepository repository) {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(applier, "applier");
        Objects.requireNonNull(repository, "repository");
        for (String type : allTypes()) {
            pipeline.on(type, event -> {
                try {
                    applier.apply(repository, toProviderEvent(event));
                } catch (BillingException e) {
                    throw translate(e);
                }
            });
        }
        return pipeline;
    }

    /**
     * Turns a verified webhook event into the billing view of it.
     *
     * @param event the event from the pipeline
     * @return the provider event
     * @throws WebhookPayloadException when the provider is neither Stripe nor RevenueCat, or the payload
     *     is not a usable event
     */
    public static ProviderEvent toProviderEvent(WebhookEvent event) {
        Objects.requireNonNull(event, "event");
        BillingProvider provider = switch (event.provider().toLowerCase(Locale.ROOT)) {
            case "stripe" -> BillingProvider.STRIPE;
            case "revenuecat" -> BillingProvider.REVENUECAT;
            default -> throw new WebhookPayloadException(WebhookPayloadException.Reason.INVALID_EVENT_OBJECT,
                    "billing handles Stripe and RevenueCat events, not " + event.provider(), null);
        };
        try {
            return ProviderEvent.of(provider, event.json());
        } catch (BillingException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(BillingException e) {
        if (e.reason() == BillingException.Reason.MALFORMED_EVENT) {
            return new WebhookPayloadException(WebhookPayloadException.Reason.INVALID_EVENT_OBJECT,
                    e.getMessage(), e);
        }
        return e; // storage failures: the pipeline answers 500 and the provider retries
    }

    private static Set<String> allTypes() {
        Set<String> all = new TreeSet<>(STRIPE_EVENT_TYPES);
        all.addAll(REVENUECAT_EVENT_TYPES);
        return all;
    }

    private static Set<String> withTest(Set<String> types) {
        Set<String> all = new TreeSet<>(types);
        all.add("TEST");
        return Set.copyOf(all);
    }
}
