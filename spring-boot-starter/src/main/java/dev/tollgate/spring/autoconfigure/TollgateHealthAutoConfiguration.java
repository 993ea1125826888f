package dev.tollgate.spring.autoconfigure;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.health.HealthCheckObserver;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.contributors.billing.BillingGateHealthContributor;
import dev.tollgate.health.contributors.ConfigurationHealthContributor;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.health.contributors.SqlVerifierHealthContributor;
import dev.tollgate.health.contributors.WebhookBacklogHealthContributor;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.internal.ObserverBeans;
import dev.tollgate.spring.internal.SchemaMigration;
import dev.tollgate.spring.internal.StartupValidation;
import dev.tollgate.spring.internal.TollgateHealthIndicator;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Tollgate's checks as the Actuator health contributor {@code tollgate}: the database, every Tollgate
 * module's SQL verifier function and the production configuration, run by a Tollgate
 * {@link HealthRegistry} (timeouts, cached verifier results), and the webhook backlog (not critical). The
 * contributor is in the {@code readiness} group by default, never in {@code liveness}.
 */
@AutoConfiguration(after = {TollgateAutoConfiguration.class, TollgateMetricsAutoConfiguration.class})
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnProperty(name = "tollgate.health.enabled", havingValue = "true", matchIfMissing = true)
public class TollgateHealthAutoConfiguration {

    /** The verifier function of each module, by migration folder. */
    static final Map<String, String> VERIFIERS = verifiers();

    /** Created by Spring. */
    public TollgateHealthAutoConfiguration() {
    }

    private static Map<String, String> verifiers() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("webhooks", "webhooks.verify_webhook_schema");
        map.put("billing", "billing.verify_billing_schema");
        map.put("consent", "consent.verify_consent_schema");
        map.put("legal", "legal.verify_legal_acceptance_integrity");
        map.put("tollgate", "tollgate.verify_final_hardening");
        return map;
    }

    /**
     * The registry of Tollgate's checks.
     *
     * @param properties the properties
     * @param validation the start-up validation (its validator backs the configuration check)
     * @param dataSource the application's DataSource, if any
     * @param migration the migration, if it runs (so that verifiers see the schema)
     * @param observers metric observers
     * @param store the idempotency store, if any (its clock)
     * @param gate the billing gate, if any (how it sees status changes)
     * @return the registry, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public HealthRegistry tollgateHealthRegistry(TollgateProperties properties, StartupValidation validation,
                                                 ObjectProvider<DataSource> dataSource,
                                                 ObjectProvider<SchemaMigration> migration,
                                                 ObjectProvider<HealthCheckObserver> observers,
                                                 ObjectProvider<IdempotencyStore> store,
                                                 ObjectProvider<BillingGate> gate) {
        TollgateProperties.Health health = properties.getHealth();
        HealthCheckOptions options = HealthCheckOptions.defaults().withTimeout(health.getTimeout());
        HealthRegistry.Builder builder = HealthRegistry.builder();
        DataSource database = dataSource.getIfAvailable();
        if (database != null) {
            migration.getIfAvailable();
            builder.register("database", DatabaseHealthContributor.of(database), options);
            HealthCheckOptions cached = options.withCacheFor(health.getVerifierCacheFor());
            for (String function : verifierFunctions(health)) {
                builder.register(function, SqlVerifierHealthContributor.of(database, function), cached);
            }
            if (health.isWebhookBacklog()) {
                // dead letters and a stuck backlog are for alerts, not a reason to take every replica out
                Clock clock = store.getIfAvailable() instanceof PostgresIdempotencyStore postgres
                        ? postgres.clock() : Clock.systemUTC();
                builder.register("webhooks.backlog", WebhookBacklogHealthContributor.builder(database).clock(clock)
                        .build(), options.withCritical(false));
            }
            BillingGate billing = gate.getIfUnique();
            if (billing != null) {
                // listening, or TTL only (behind PgBouncer): for operators, never a reason to take a replica out
                builder.register("billing.gate", BillingGateHealthContributor.of(billing), options.withCritical(false));
            }
        }
        builder.register("config", ConfigurationHealthContributor.of(validation.validator()), options);

        HealthCheckObserver observer = ObserverBeans.health(observers);
        if (observer != null) {
            builder.observer(observer);
        }
        return builder.build();
    }

    /**
     * The Actuator indicator, named {@code tollgate}.
     *
     * @param registry the registry
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "tollgateHealthIndicator")
    public HealthIndicator tollgateHealthIndicator(HealthRegistry registry) {
        return new TollgateHealthIndicator(registry);
    }

    static List<String> verifierFunctions(TollgateProperties.Health health) {
        List<String> configured = health.getVerifiers();
        if (configured != null) {
            return List.copyOf(configured);
        }
        List<String> functions = new ArrayList<>();
        List<String> migrations = SchemaMigrator.forAllModules()
                .withClassLoader(TollgateHealthAutoConfiguration.class.getClassLoader()).migrations();
        VERIFIERS.forEach((module, function) -> {
            if (migrations.stream().anyMatch(path -> path.startsWith(SchemaMigrator.ROOT + "/" + module + "/"))) {
                functions.add(function);
            }
        });
        return functions;
    }
}
