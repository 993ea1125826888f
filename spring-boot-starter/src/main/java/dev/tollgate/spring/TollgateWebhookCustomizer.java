package dev.tollgate.spring;

import dev.tollgate.webhooks.WebhookPipeline;

/**
 * Adds to the webhook pipeline the auto-configuration builds: handlers of your own event types, a
 * different lease or attempt count. Every bean of this type is applied, in {@code @Order}, after the
 * verifiers, the store and (when enabled) billing's handlers are registered.
 *
 * <pre>{@code
 * @Bean
 * TollgateWebhookCustomizer invoiceHandlers() {
 *     return pipeline -> pipeline.onTransactional("invoice.paid", (event, connection) -> { … });
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TollgateWebhookCustomizer {

    /**
     * Customizes the builder before {@code build()}.
     *
     * @param pipeline the builder
     */
    void customize(WebhookPipeline.Builder pipeline);
}
