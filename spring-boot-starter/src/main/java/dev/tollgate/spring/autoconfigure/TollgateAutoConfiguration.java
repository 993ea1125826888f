package dev.tollgate.spring.autoconfigure;

import dev.tollgate.Secret;
import dev.tollgate.TollgateException;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingRepository;
import dev.tollgate.billing.BillingWebhooks;
import dev.tollgate.billing.GateObserver;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.PostgresBillingListener;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.TollgateStartupException;
import dev.tollgate.spring.TollgateWebhookCustomizer;
import dev.tollgate.spring.internal.BillingListenerLifecycle;
import dev.tollgate.spring.internal.ObserverBeans;
import dev.tollgate.spring.internal.SchemaMigration;
import dev.tollgate.spring.internal.StartupMarkers;
import dev.tollgate.spring.internal.StartupValidation;
import dev.tollgate.spring.internal.TollgateSettings;
import dev.tollgate.spring.internal.WebhookEndpointsCondition;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookObserver;
import dev.tollgate.webhooks.WebhookPipeline;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The framework-neutral parts: start-up validation, migrations, the idempotency store, the billing
 * repository and gate, the webhook pipeline with billing's handlers. Each bean backs off when the
 * application defines its own; each part is switched by a {@code tollgate.*} property.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(TollgateProperties.class)
public class TollgateAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TollgateAutoConfiguration.class);

    /** Created by Spring. */
    public TollgateAutoConfiguration() {
    }

    /**
     * The settings in effect (properties, then Tollgate's environment variable names).
     *
     * @param properties the properties
     * @param environment Spring's environment
     * @return the settings
     */
    @Bean
    @ConditionalOnMissingBean
    public TollgateSettings tollgateSettings(TollgateProperties properties, Environment environment) {
        return new TollgateSettings(properties, environment);
    }

    /**
     * Validates the whole configuration before anything is built.
     *
     * @param settings the settings
     * @param dataSource the application's DataSource, if any
     * @return the validation
     */
    @Bean
    public StartupValidation tollgateStartupValidation(TollgateSettings settings, ObjectProvider<DataSource> dataSource) {
        return StartupValidation.run(settings, dataSource.getIfAvailable() != null);
    }

    /**
     * Start-up markers, written once the application is ready.
     *
     * @param settings the settings
     * @param migration Tollgate's migration run, if any
     * @param pipeline the webhook pipeline, if any
     * @param gate the billing gate, if any
     * @return the listener
     */
    @Bean
    public StartupMarkers tollgateStartupMarkers(TollgateSettings settings, ObjectProvider<SchemaMigration> migration,
                                                 ObjectProvider<WebhookPipeline> pipeline,
                                                 ObjectProvider<BillingGate> gate) {
        return new StartupMarkers(settings, migration, pipeline, gate);
    }

    /**
     * Migrations at start-up, on the application's DataSource, through the application's Flyway or Liquibase
     * when it has one ({@code tollgate.migrations.tool}); before the application's own migrations run.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "tollgate.migrations.enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnBean(DataSource.class)
    static class Migrations {

        @Bean
        @ConditionalOnMissingBean
        SchemaMigration tollgateSchemaMigration(DataSource dataSource, StartupValidation validation,
                                                TollgateProperties properties, Environment environment) {
            Objects.requireNonNull(validation, "validation");
            ClassLoader classLoader = TollgateAutoConfiguration.class.getClassLoader();
            return SchemaMigration.apply(dataSource, classLoader,
                    SchemaMigration.chooseTool(properties.getMigrations().getTool(), environment, classLoader));
        }
    }

    /** Webhooks: the store and the pipeline. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "tollgate.webhooks.enabled", havingValue = "true", matchIfMissing = true)
    static class Webhooks {

        @Bean
        @ConditionalOnMissingBean
        IdempotencyStore tollgateIdempotencyStore(TollgateProperties properties, ObjectProvider<DataSource> dataSource,
                                                  ObjectProvider<SchemaMigration> migration, StartupValidation validation) {
            Objects.requireNonNull(validation, "validation");
            DataSource database = dataSource.getIfAvailable();
            TollgateProperties.StoreType type = properties.getWebhooks().getStore();
            if (type == TollgateProperties.StoreType.MEMORY || database == null) {
                return InMemoryIdempotencyStore.builder().build();
            }
            migration.getIfAvailable();
            return PostgresIdempotencyStore.create(database).withTimeout(properties.getWebhooks().getTimeout());
        }

        @Bean
        @ConditionalOnMissingBean
        @Conditional(WebhookEndpointsCondition.class)
        WebhookPipeline tollgateWebhookPipeline(TollgateSettings settings, IdempotencyStore store,
                                                ObjectProvider<BillingEventApplier> applier,
                                                ObjectProvider<BillingRepository> repository,
                                                ObjectProvider<TollgateWebhookCustomizer> customizers,
                                                ObjectProvider<WebhookObserver> observer) {
            TollgateProperties.Webhooks webhooks = settings.properties().getWebhooks();
            WebhookPipeline.Builder builder = WebhookPipeline.builder().store(store)
                    .maxAttempts(webhooks.getMaxAttempts()).lease(webhooks.getLease())
                    .maxBodyBytes(webhooks.getMaxBodyBytes())
                    .duplicateCache(webhooks.getDuplicateCacheEntries(), webhooks.getDuplicateCacheTtl());
            if (settings.stripeEnabled()) {
                builder.verifier(StripeVerifier.builder().secret(required(settings.stripeSecret()))
                        .tolerance(webhooks.getStripe().getTolerance()).maxBodyBytes(webhooks.getMaxBodyBytes()).build());
            }
            if (settings.revenueCatEnabled()) {
                builder.verifier(RevenueCatVerifier.builder().authorization(required(settings.revenueCatAuthorization()))
                        .maxBodyBytes(webhooks.getMaxBodyBytes()).build());
            }
            if (settings.standardWebhooksEnabled()) {
                TollgateProperties.StandardWebhooks standard = webhooks.getStandardWebhooks();
                builder.verifier(StandardWebhooksVerifier.builder().secret(required(settings.standardWebhooksSecret()))
                        .provider(standard.getProvider()).tolerance(standard.getTolerance())
                        .maxBodyBytes(webhooks.getMaxBodyBytes()).build());
            }
            BillingEventApplier billing = applier.getIfAvailable();
            if (billing != null) {
                BillingRepository state = repository.getIfAvailable();
                if (store instanceof PostgresIdempotencyStore) {
                    BillingWebhooks.register(builder, billing);
                } else if (state instanceof InMemoryBillingRepository memory) {
                    BillingWebhooks.register(builder, billing, memory);
                } else {
                    LOG.warn("tollgate.billing.webhooks.off: billing events are not applied: the idempotency store {}"
                            + " is not PostgreSQL and the billing repository is not in memory; register billing"
                            + " handlers with a TollgateWebhookCustomizer", store.getClass().getSimpleName());
                }
            }
            WebhookObserver observers = ObserverBeans.webhook(observer);
            if (observers != null) {
                builder.observer(observers);
            }
            customizers.orderedStream().forEach(c -> c.customize(builder));
            try {
                return builder.build();
            } catch (IllegalArgumentException | TollgateException e) {
                throw new TollgateStartupException(List.of("the webhook pipeline cannot be built: " + e.getMessage()
                        + " (with tollgate.billing.enabled=false, register handlers with a TollgateWebhookCustomizer"
                        + " bean, or set tollgate.webhooks.enabled=false)"));
            }
        }

        private static Secret required(Secret secret) {
            return Objects.requireNonNull(secret, "secret (checked at start-up)");
        }
    }

    /** Billing: the repository, the event applier and the gate. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "tollgate.billing.enabled", havingValue = "true", matchIfMissing = true)
    static class Billing {

        @Bean
        @ConditionalOnMissingBean
        BillingRepository tollgateBillingRepository(ObjectProvider<DataSource> dataSource,
                                                    ObjectProvider<SchemaMigration> migration,
                                                    TollgateProperties properties) {
            DataSource database = dataSource.getIfAvailable();
            if (database == null || properties.getWebhooks().getStore() == TollgateProperties.StoreType.MEMORY) {
                return new InMemoryBillingRepository(Clock.systemUTC());
            }
            migration.getIfAvailable();
            return new PostgresBillingRepository(database, properties.getBilling().getTimeout());
        }

        @Bean
        @ConditionalOnMissingBean
        BillingEventApplier tollgateBillingEventApplier() {
            return BillingEventApplier.ofDefaults();
        }

        @Bean
        @ConditionalOnMissingBean
        BillingGate tollgateBillingGate(BillingRepository repository, TollgateProperties properties,
                                        StartupValidation validation, ObjectProvider<GateObserver> observer) {
            Objects.requireNonNull(validation, "validation");
            TollgateProperties.Billing billing = properties.getBilling();
            BillingGate.Builder builder = BillingGate.builder().repository(repository)
                    .enforcement(billing.getEnforcement()).purchasesEnabled(billing.isPurchasesEnabled())
                    .cacheTtl(billing.getCacheTtl()).cacheMaximumSize(billing.getCacheMaximumSize())
                    .failMode(billing.getFailMode());
            GateObserver observers = ObserverBeans.gate(observer);
            if (observers != null) {
                builder.observer(observers);
            }
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(name = "tollgate.billing.listener-enabled", havingValue = "true", matchIfMissing = true)
        @ConditionalOnBean(DataSource.class)
        BillingListenerLifecycle tollgateBillingListener(DataSource dataSource, BillingGate gate,
                                                         BillingRepository repository) {
            return new BillingListenerLifecycle(repository instanceof PostgresBillingRepository
                    ? PostgresBillingListener.builder(dataSource).gate(gate).build() : null);
        }
    }
}
