package dev.tollgate.spring.autoconfigure;

import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookBacklog;
import dev.tollgate.spring.internal.TollgateEventsEndpoint;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.WebhookEvents;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Operator commands and backlog meters on the webhook events of the application's PostgreSQL: a
 * {@link WebhookEvents} bean (list, show, re-drive, replay, for the application's own tools), the Actuator endpoint
 * {@code tollgate-events} over it, and, with a Micrometer registry, the backlog gauges of
 * {@link MicrometerWebhookBacklog} (oldest pending and failed event age, open dead letters; read at most every
 * 30 s). Only with a {@code DataSource} and a store that is not in memory. The endpoint is off by default: it
 * exists only when the application grants it access ({@code management.endpoint.tollgate-events.access},
 * {@code read-only} or {@code unrestricted}) and exposes it ({@code management.endpoints.web.exposure.include});
 * secure it as any write endpoint.
 */
@AutoConfiguration(after = {TollgateAutoConfiguration.class, TollgateMetricsAutoConfiguration.class}, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnProperty(name = "tollgate.webhooks.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
@ConditionalOnExpression("!'${tollgate.webhooks.store:auto}'.equalsIgnoreCase('memory')")
public class TollgateEventsAutoConfiguration {

    /** Created by Spring. */
    public TollgateEventsAutoConfiguration() {
    }

    /**
     * Operator commands on the application's database, with the store's clock.
     *
     * @param dataSource the application's DataSource
     * @param store the idempotency store, if any (its clock)
     * @return the commands
     */
    @Bean
    @ConditionalOnMissingBean
    public WebhookEvents tollgateWebhookEvents(DataSource dataSource, ObjectProvider<IdempotencyStore> store) {
        return WebhookEvents.create(dataSource, clock(store));
    }

    private static Clock clock(ObjectProvider<IdempotencyStore> store) {
        return store.getIfAvailable() instanceof PostgresIdempotencyStore postgres ? postgres.clock() : Clock.systemUTC();
    }

    /** The backlog gauges, on the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
            "dev.tollgate.health.micrometer.webhooks.MicrometerWebhookBacklog"})
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnProperty(name = "tollgate.metrics.enabled", havingValue = "true", matchIfMissing = true)
    static class Meters {

        @Bean
        @ConditionalOnMissingBean
        MicrometerWebhookBacklog tollgateWebhookBacklogMeters(DataSource dataSource,
                                                              ObjectProvider<IdempotencyStore> store,
                                                              MeterRegistry registry) {
            return MicrometerWebhookBacklog.builder(dataSource).clock(clock(store)).build().bindTo(registry);
        }
    }

    /** The Actuator endpoint, when Actuator is there and the endpoint is granted access and exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
            "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
    @ConditionalOnAvailableEndpoint(endpoint = TollgateEventsEndpoint.class)
    static class Actuator {

        @Bean
        @ConditionalOnMissingBean
        TollgateEventsEndpoint tollgateEventsEndpoint(WebhookEvents events) {
            return new TollgateEventsEndpoint(events);
        }
    }
}
