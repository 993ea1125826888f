package dev.tollgate.spring.autoconfigure;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.health.micrometer.MicrometerHealthObserver;
import dev.tollgate.health.micrometer.billing.MicrometerGateCacheMeters;
import dev.tollgate.health.micrometer.billing.MicrometerGateObserver;
import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Tollgate's meters ({@code tollgate.webhook.*}, {@code tollgate.billing.gate.*}, {@code tollgate.health.*},
 * the names of {@code dev.tollgate.health.metrics.TollgateMeters}) on the application's Micrometer
 * registry, when {@code tollgate-micrometer} is on the class path. Each meter observer backs off only to another bean of its own Micrometer type; the application's
 * own observers of the same kind are told too (the builders get every observer bean, combined).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerHealthObserver.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(name = "tollgate.metrics.enabled", havingValue = "true", matchIfMissing = true)
public class TollgateMetricsAutoConfiguration {

    /** Created by Spring. */
    public TollgateMetricsAutoConfiguration() {
    }

    /**
     * Webhook refusals and outcomes with handler time.
     *
     * @param registry the application's registry
     * @return the observer the pipeline reports to
     */
    @Bean
    @ConditionalOnMissingBean(MicrometerWebhookObserver.class)
    public MicrometerWebhookObserver tollgateWebhookMeters(MeterRegistry registry) {
        return new MicrometerWebhookObserver(registry);
    }

    /**
     * Gate decisions by outcome and status.
     *
     * @param registry the application's registry
     * @return the observer the gate reports to
     */
    @Bean
    @ConditionalOnMissingBean(MicrometerGateObserver.class)
    public MicrometerGateObserver tollgateGateMeters(MeterRegistry registry) {
        return new MicrometerGateObserver(registry);
    }

    /**
     * The billing gate's cache size and evictions, once every singleton exists.
     *
     * @param registry the application's registry
     * @param gate the billing gate, if any
     * @return the binder
     */
    @Bean
    public SmartInitializingSingleton tollgateGateCacheMeters(MeterRegistry registry, ObjectProvider<BillingGate> gate) {
        return () -> gate.ifUnique(billing -> MicrometerGateCacheMeters.bind(billing, registry));
    }

    /**
     * Health check timings and statuses.
     *
     * @param registry the application's registry
     * @return the observer the health registry reports to
     */
    @Bean
    @ConditionalOnMissingBean(MicrometerHealthObserver.class)
    public MicrometerHealthObserver tollgateHealthMeters(MeterRegistry registry) {
        return new MicrometerHealthObserver(registry);
    }
}
