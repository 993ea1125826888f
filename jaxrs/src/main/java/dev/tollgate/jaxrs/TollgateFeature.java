package dev.tollgate.jaxrs;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.jaxrs.internal.BillingGateRequestFilter;
import dev.tollgate.jaxrs.internal.HealthResource;
import dev.tollgate.jaxrs.internal.RequiresBillingCheck;
import dev.tollgate.jaxrs.internal.WebhookResource;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Registers Tollgate in a Jakarta REST application: the billing gate for {@link RequiresBilling} methods, the webhook
 * resource and the health resource, each only when configured.
 *
 * <pre>{@code
 * TollgateFeature tollgate = TollgateFeature.builder()
 *         .webhooks(pipeline)                                          // POST /webhooks/{provider}
 *         .billingGate(gate, TenantResolver.header("X-Tenant-Id"))    // @RequiresBilling methods
 *         .health(HealthEndpoints.builder(registry).version("1.4.2").build()) // /health, /health/ready, /health/live
 *         .build();
 * resourceConfig.register(tollgate);                 // Jersey
 * }</pre>
 *
 * <ul>
 *   <li>{@code POST /webhooks/{provider}} hands the raw body bytes (read only up to
 *       {@link Builder#maxBodyBytes(int)}, default 1 MiB: a larger declared length is 413 {@code body_too_large}
 *       before a byte is read) and every header to the pipeline and answers its {@link WebhookResult} as it is;
 *       GET, PUT, DELETE and PATCH are 405 {@code method_not_allowed}.</li>
 *   <li>A {@link RequiresBilling} method of a tenant whose status blocks the operation: 402 with the body of
 *       {@link dev.tollgate.billing.DenialResponse#json} (problem+json when {@code Accept} asks for it); no tenant: 400
 *       {@code tenant_required}; an invalid tenant id: 400 {@code tenant_invalid}. A request that passes carries its
 *       {@link BillingDecision} in the request property {@link #DECISION_PROPERTY} (in report-only enforcement,
 *       {@code wouldDeny()} tells a denial that was let through). A malformed {@code operation} name fails the
 *       deployment, naming the method.</li>
 *   <li>{@code GET /health}, {@code /health/ready}, {@code /health/live}: {@link HealthEndpoints}' answers.</li>
 * </ul>
 *
 * <p>The paths are relative to the application's path. Where an implementation does not take resources from a
 * feature, add {@link #components()} to your {@code Application#getSingletons()} instead. Immutable.
 */
public final class TollgateFeature implements Feature {

    /** The request property holding the {@link BillingDecision} of a gated request that passed. */
    public static final String DECISION_PROPERTY = BillingGateRequestFilter.DECISION_PROPERTY;

    private final Set<Object> components;

    private TollgateFeature(Set<Object> components) {
        this.components = Set.copyOf(components);
    }

    /**
     * Starts configuring the feature.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean configure(FeatureContext context) {
        for (Object component : components) {
            if (!context.getConfiguration().isRegistered(component)) {
                context.register(component);
            }
        }
        return true;
    }

    /**
     * The filter and resource instances this feature registers, for {@code Application#getSingletons()}.
     *
     * @return the instances
     */
    public Set<Object> components() {
        return components;
    }

    @Override
    public String toString() {
        return "TollgateFeature" + components;
    }

    /** Configures a {@link TollgateFeature}; {@link #build()} reports every problem at once. */
    public static final class Builder {

        private @Nullable BiFunction<String, WebhookRequest, WebhookResult> webhooks;
        private @Nullable Integer maxBodyBytes;
        private @Nullable BillingGate gate;
        private @Nullable TenantResolver tenants;
        private @Nullable HealthEndpoints health;
        private final List<String> givenTwice = new ArrayList<>();

        private Builder() {
        }

        /**
         * Serves {@code POST /webhooks/{provider}} with a synchronous pipeline.
         *
         * @param pipeline the pipeline
         * @return this builder
         */
        public Builder webhooks(WebhookPipeline pipeline) {
            Objects.requireNonNull(pipeline, "pipeline");
            return webhooks(pipeline::handle);
        }

        /**
         * Serves {@code POST /webhooks/{provider}} with an asynchronous pipeline (answers {@code queued}; run its
         * worker).
         *
         * @param pipeline the pipeline
         * @return this builder
         */
        public Builder webhooks(AsyncWebhookPipeline pipeline) {
            Objects.requireNonNull(pipeline, "pipeline");
            return webhooks(pipeline::handle);
        }

        private Builder webhooks(BiFunction<String, WebhookRequest, WebhookResult> intake) {
            if (webhooks != null) {
                givenTwice.add("webhooks");
            }
            webhooks = intake;
            return this;
        }

        /**
         * The largest webhook body read (default 1 MiB). Keep it at or below the pipeline's
         * {@link WebhookPipeline.Builder#maxBodyBytes(int)}: the pipeline refuses larger bodies anyway.
         *
         * @param maxBodyBytes 1 to {@code Integer.MAX_VALUE - 1}
         * @return this builder
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (this.maxBodyBytes != null) {
                givenTwice.add("maxBodyBytes");
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * Gates {@link RequiresBilling} methods. There is no default tenant resolver: say where the tenant comes from.
         *
         * @param gate the gate that decides
         * @param tenants where the tenant of a request comes from, such as {@link TenantResolver#header(String)}
         * @return this builder
         */
        public Builder billingGate(BillingGate gate, TenantResolver tenants) {
            Objects.requireNonNull(gate, "gate");
            Objects.requireNonNull(tenants, "tenants");
            if (this.gate != null) {
                givenTwice.add("billingGate");
            }
            this.gate = gate;
            this.tenants = tenants;
            return this;
        }

        /**
         * Serves {@code /health}, {@code /health/ready} and {@code /health/live}.
         *
         * @param endpoints the endpoints
         * @return this builder
         */
        public Builder health(HealthEndpoints endpoints) {
            Objects.requireNonNull(endpoints, "endpoints");
            if (health != null) {
                givenTwice.add("health");
            }
            this.health = endpoints;
            return this;
        }

        /**
         * Builds the feature.
         *
         * @return the feature
         * @throws IllegalArgumentException naming every problem of the configuration
         */
        public TollgateFeature build() {
            List<String> problems = new ArrayList<>();
            for (String setting : givenTwice) {
                problems.add(setting + " was given twice");
            }
            if (webhooks == null && gate == null && health == null) {
                problems.add("nothing to register: give webhooks(pipeline), billingGate(gate, tenants) or"
                        + " health(endpoints)");
            }
            if (maxBodyBytes != null && webhooks == null) {
                problems.add("maxBodyBytes is set but webhooks(pipeline) is not");
            }
            int limit = maxBodyBytes == null ? StripeVerifier.DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
            if (limit < 1 || limit == Integer.MAX_VALUE) {
                problems.add("maxBodyBytes must be 1 to " + (Integer.MAX_VALUE - 1) + ", but was " + limit);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid Tollgate feature: " + String.join("; ", problems));
            }
            Set<Object> components = new LinkedHashSet<>();
            if (gate != null) {
                components.add(new BillingGateRequestFilter(gate, Objects.requireNonNull(tenants)));
                components.add(new RequiresBillingCheck());
            }
            if (webhooks != null) {
                components.add(new WebhookResource(webhooks, limit));
            }
            if (health != null) {
                components.add(new HealthResource(health));
            }
            return new TollgateFeature(components);
        }
    }
}
