package dev.tollgate.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeCollection;
import com.stripe.model.Subscription;
import com.stripe.param.SubscriptionListParams;
import dev.tollgate.Secret;
import dev.tollgate.billing.internal.Intent;
import dev.tollgate.billing.internal.RevenueCatSubscriberMapper;
import dev.tollgate.billing.internal.StripeEventMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Fetches a tenant's current subscription from the provider and applies it through the same
 * out-of-order-safe path as webhook events: for the checkout-redirect race (the user is back before
 * the webhook) and to repair state after missed events.
 *
 * <pre>{@code
 * BillingReconciler reconciler = BillingReconciler.builder()
 *         .applier(applier)
 *         .target(dataSource)                                   // or an InMemoryBillingRepository
 *         .repository(new PostgresBillingRepository(dataSource))
 *         .stripe(StripeClient.builder().setApiKey(key.reveal()).build())
 *         .revenueCat(Secret.of(System.getenv("REVENUECAT_API_KEY")))
 *         .build();
 * ApplyResult result = reconciler.sync("tenant-42");
 * }</pre>
 *
 * <p>Stripe: the tenant's subscription ({@link TenantBilling#subscriptionId()}) is retrieved, or else
 * the subscriptions of its mapped customer are listed and the most relevant one (live before ended,
 * then newest) is applied; a customer with none becomes {@code none}. RevenueCat:
 * {@code GET /v1/subscribers/{app_user_id}}. The snapshot is applied as an event created now, so it
 * wins over every event created before the fetch and loses to any created after.
 */
public final class BillingReconciler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("canceled", "incomplete_expired");

    private final BillingEventApplier applier;
    private final BillingRepository repository;
    private final @Nullable DataSource dataSource;
    private final @Nullable InMemoryBillingRepository memory;
    private final @Nullable StripeClient stripe;
    private final @Nullable Secret revenueCatKey;
    private final URI revenueCatBase;
    private final HttpClient http;
    private final Duration timeout;
    private final Function<String, String> revenueCatUserIds;
    private final Clock clock;

    private BillingReconciler(Builder b) {
        this.applier = Objects.requireNonNull(b.applier);
        this.repository = Objects.requireNonNull(b.repository);
        this.dataSource = b.dataSource;
        this.memory = b.memory;
        this.stripe = b.stripe;
        this.revenueCatKey = b.revenueCatKey;
        this.revenueCatBase = b.revenueCatBase;
        this.http = b.http;
        this.timeout = b.timeout;
        this.revenueCatUserIds = b.revenueCatUserIds;
        this.clock = b.clock;
    }

    /**
     * A builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fetches the tenant's subscription from its provider and applies it.
     *
     * @param tenantId the tenant
     * @return what applying the provider's answer did
     * @throws BillingException {@link BillingException.Reason#NOTHING_TO_RECONCILE} when the tenant has no
     *     known customer or subscriber for a configured provider, {@link BillingException.Reason#PROVIDER_UNAVAILABLE}
     *     when the provider fails, {@link BillingException.Reason#MALFORMED_EVENT} for an unreadable answer
     */
    public ApplyResult sync(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        Optional<TenantBilling> state = repository.find(tenantId);
        BillingProvider provider = state.map(TenantBilling::provider).orElse(null);
        if (stripe != null && (provider == null || provider == BillingProvider.STRIPE)) {
            String subscriptionId = state.map(TenantBilling::subscriptionId).orElse(null);
            Optional<String> customer = repository.customerOf(BillingProvider.STRIPE, tenantId);
            if (subscriptionId != null || customer.isPresent() || provider == BillingProvider.STRIPE) {
                return syncStripe(tenantId, subscriptionId, customer.orElse(null));
            }
        }
        if (revenueCatKey != null && (provider == null || provider == BillingProvider.REVENUECAT)) {
            return syncRevenueCat(tenantId);
        }
        throw new BillingException(BillingException.Reason.NOTHING_TO_RECONCILE, "the tenant has no Stripe customer"
                + " mapping or subscription and no RevenueCat reconciliation is configured: nothing to fetch");
    }

    private ApplyResult syncStripe(String tenantId, @Nullable String subscriptionId, @Nullable String customerId) {
        StripeClient client = Objects.requireNonNull(stripe);
        Instant now = clock.instant();
        JsonNode subscription = null;
        try {
            // The raw response bodies are read, not the typed model: any API version maps the same way.
            if (customerId != null) {
                StripeCollection<Subscription> list = client.v1().subscriptions().list(SubscriptionListParams.builder()
                        .setCustomer(customerId).setStatus(SubscriptionListParams.Status.ALL).setLimit(20L).build());
                JsonNode data = readStripeBody(list.getLastResponse() == null ? null : list.getLastResponse().body())
                        .get("data");
                List<JsonNode> all = new ArrayList<>();
                if (data != null && data.isArray()) {
                    data.forEach(all::add);
                }
                all.sort(Comparator.comparing((JsonNode s) -> ENDED.contains(s.path("status").asText()))
                        .thenComparing(s -> -s.path("created").asLong()));
                subscription = all.isEmpty() ? null : all.get(0);
            } else if (subscriptionId != null) {
                Subscription retrieved = client.v1().subscriptions().retrieve(subscriptionId);
                subscription = readStripeBody(retrieved.getLastResponse() == null ? null
                        : retrieved.getLastResponse().body());
            }
        } catch (StripeException e) {
            throw new BillingException(BillingException.Reason.PROVIDER_UNAVAILABLE, "Stripe answered "
                    + e.getStatusCode() + " (" + e.getCode() + ") while reconciling: check the API key and"
                    + " retry later", e);
        }
        ProviderEvent event = syntheticStripeEvent(tenantId, now, subscription);
        Intent intent = subscription == null
                ? new Intent.SetState(tenantId, customerId, null, BillingStatus.NONE, false, null, null, List.of(),
                        null, null)
                : StripeEventMapper.subscription(subscription, false);
        return applyReconciled(event, intent, tenantId);
    }

    private static JsonNode readStripeBody(@Nullable String body) {
        if (body == null) {
            throw new BillingException(BillingException.Reason.PROVIDER_UNAVAILABLE,
                    "Stripe returned no response body while reconciling");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BillingException(BillingException.Reason.MALFORMED_EVENT,
                        "Stripe answered with a body that is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BillingException(BillingException.Reason.MALFORMED_EVENT,
                    "Stripe answered with a body that is not JSON");
        }
    }

    private static ProviderEvent syntheticStripeEvent(String tenantId, Instant now, @Nullable JsonNode subscription) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("id", "reconcile_" + Integer.toHexString(tenantId.hashCode()) + "_" + now.toEpochMilli());
        envelope.put("type", "customer.subscription.updated");
        envelope.put("created", now.getEpochSecond());
        envelope.putObject("data").set("object", subscription == null ? JSON.createObjectNode() : subscription);
        return ProviderEvent.of(BillingProvider.STRIPE, envelope);
    }

    private ApplyResult syncRevenueCat(String tenantId) {
        String appUserId = revenueCatUserIds.apply(tenantId);
        URI uri = revenueCatBase.resolve("v1/subscribers/" + URLEncoder.encode(appUserId, StandardCharsets.UTF_8)
                .replace("+", "%20"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + Objects.requireNonNull(revenueCatKey).reveal())
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BillingException(BillingException.Reason.PROVIDER_UNAVAILABLE,
                    "RevenueCat could not be reached while reconciling (" + e.getClass().getSimpleName()
                            + "): retry later", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingException(BillingException.Reason.PROVIDER_UNAVAILABLE,
                    "interrupted while waiting for RevenueCat", e);
        }
        if (response.statusCode() != 200) {
            throw new BillingException(BillingException.Reason.PROVIDER_UNAVAILABLE, "RevenueCat answered HTTP "
                    + response.statusCode() + " while reconciling: check the API key (" + revenueCatKey + ") and retry");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new BillingException(BillingException.Reason.MALFORMED_EVENT,
                    "RevenueCat answered with a body that is not JSON");
        }
        Instant now = clock.instant();
        Intent.SetState intent = RevenueCatSubscriberMapper.map(body, appUserId, now);
        ObjectNode envelope = JSON.createObjectNode();
        ObjectNode event = envelope.putObject("event");
        event.put("id", "reconcile_" + Integer.toHexString(tenantId.hashCode()) + "_" + now.toEpochMilli());
        event.put("type", "RECONCILIATION");
        event.put("event_timestamp_ms", now.toEpochMilli());
        return applyReconciled(ProviderEvent.of(BillingProvider.REVENUECAT, envelope), intent, tenantId);
    }

    private ApplyResult applyReconciled(ProviderEvent event, Intent intent, String tenantId) {
        if (memory != null) {
            return applier.applyReconciled(memory, event, intent, tenantId);
        }
        return applier.applyReconciled(Objects.requireNonNull(dataSource), event, intent, tenantId);
    }

    /** Names the configured providers; the RevenueCat key only in its masked form. */
    @Override
    public String toString() {
        return "BillingReconciler[stripe " + (stripe == null ? "off" : "on") + ", revenuecat "
                + (revenueCatKey == null ? "off" : revenueCatKey.masked() + " at " + revenueCatBase) + "]";
    }

    /** Configures a {@link BillingReconciler}. */
    public static final class Builder {
        private @Nullable BillingEventApplier applier;
        private @Nullable BillingRepository repository;
        private @Nullable DataSource dataSource;
        private @Nullable InMemoryBillingRepository memory;
        private @Nullable StripeClient stripe;
        private @Nullable Secret revenueCatKey;
        private URI revenueCatBase = URI.create("https://api.revenuecat.com/");
        private @Nullable HttpClient http;
        private Duration timeout = Duration.ofSeconds(10);
        private Function<String, String> revenueCatUserIds = Function.identity();
        private Clock clock = Clock.systemUTC();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
        }

        /**
         * The applier to apply fetched state with (required).
         *
         * @param applier the applier
         * @return this builder
         */
        public Builder applier(BillingEventApplier applier) {
            this.applier = Objects.requireNonNull(applier, "applier");
            return this;
        }

        /**
         * Applies to PostgreSQL, in its own transaction; also sets the repository to read the tenant from
         * unless one is given.
         *
         * @param dataSource the database
         * @return this builder
         */
        public Builder target(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Applies to (and reads from) an in-memory repository.
         *
         * @param repository the repository
         * @return this builder
         */
        public Builder target(InMemoryBillingRepository repository) {
            this.memory = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * Where to read the tenant's subscription and customer from (default: the target).
         *
         * @param repository the repository
         * @return this builder
         */
        public Builder repository(BillingRepository repository) {
            this.repository = Objects.requireNonNull(repository, "repository");
            return this;
        }

        /**
         * Reconciles Stripe tenants with this client (its API base may point elsewhere in tests).
         *
         * @param client the stripe-java client
         * @return this builder
         */
        public Builder stripe(StripeClient client) {
            this.stripe = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Reconciles RevenueCat tenants with this secret API key.
         *
         * @param apiKey the RevenueCat secret key
         * @return this builder
         */
        public Builder revenueCat(Secret apiKey) {
            this.revenueCatKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * The RevenueCat API base (default {@code https://api.revenuecat.com/}).
         *
         * @param base an absolute http(s) URI
         * @return this builder
         */
        public Builder revenueCatApiBase(URI base) {
            Objects.requireNonNull(base, "base");
            if (!base.isAbsolute() || !Set.of("http", "https").contains(base.getScheme())) {
                problems.add("revenueCatApiBase must be an absolute http(s) URI, but was " + base);
            }
            String text = base.toString();
            this.revenueCatBase = URI.create(text.endsWith("/") ? text : text + "/");
            return this;
        }

        /**
         * The HTTP client for RevenueCat (default a new {@link HttpClient}).
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The RevenueCat request timeout (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                problems.add("timeout must be positive, but was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Maps a tenant id to its RevenueCat app user id (default: the same id), the inverse of
         * {@link BillingEventApplier.Builder#revenueCatTenants(Function)}.
         *
         * @param mapping the mapping
         * @return this builder
         */
        public Builder revenueCatUserIds(Function<String, String> mapping) {
            this.revenueCatUserIds = Objects.requireNonNull(mapping, "mapping");
            return this;
        }

        /**
         * The clock: a fetched state counts as created now (default the system UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the reconciler.
         *
         * @return the reconciler
         * @throws BillingException with {@link BillingException.Reason#INVALID_CONFIGURATION} naming every problem
         */
        public BillingReconciler build() {
            List<String> all = new ArrayList<>(problems);
            if (applier == null) {
                all.add("applier is required");
            }
            if (dataSource == null && memory == null) {
                all.add("a target is required: target(DataSource) or target(InMemoryBillingRepository)");
            }
            if (dataSource != null && memory != null) {
                all.add("give one target, not both a DataSource and an InMemoryBillingRepository");
            }
            if (stripe == null && revenueCatKey == null) {
                all.add("configure at least one provider: stripe(StripeClient) or revenueCat(Secret)");
            }
            if (!all.isEmpty()) {
                throw new BillingException(BillingException.Reason.INVALID_CONFIGURATION,
                        "invalid BillingReconciler configuration: " + String.join("; ", all));
            }
            if (repository == null) {
                repository = memory != null ? memory : new PostgresBillingRepository(Objects.requireNonNull(dataSource));
            }
            if (http == null) {
                http = HttpClient.newBuilder().connectTimeout(timeout).build();
            }
            return new BillingReconciler(this);
        }
    }
}
