/**
 * Jakarta REST 3.1 adapters for any implementation (Jersey, RESTEasy, Quarkus, Helidon): the
 * {@link dev.tollgate.jaxrs.RequiresBilling} name binding that puts the billing gate in front of resource methods,
 * the webhook and health resources, and {@link dev.tollgate.jaxrs.TollgateFeature}, which registers them.
 *
 * <p>Every answer is the body the framework-neutral types produce: {@link dev.tollgate.webhooks.WebhookResult#toJson()},
 * {@link dev.tollgate.billing.DenialResponse}, {@link dev.tollgate.health.HealthResponse}; the same bytes the Spring
 * Boot starter and {@code tollgate-servlet} write.
 */
@NullMarked
package dev.tollgate.jaxrs;

import org.jspecify.annotations.NullMarked;
