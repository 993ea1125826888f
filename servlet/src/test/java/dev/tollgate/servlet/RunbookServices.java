package dev.tollgate.servlet;

import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingWebhooks;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import javax.sql.DataSource;

/** The services of the runbook application, on a real PostgreSQL, and their registration (the README's quick start). */
final class RunbookServices {

    static final String STRIPE_SECRET = "whsec_servletRunbookServletRunbook0123";
    static final String REVENUECAT_AUTH = "Bearer rc-servlet-runbook-authorization-0123";

    final WebhookPipeline pipeline;
    final BillingGate gate;
    final HealthRegistry registry;

    RunbookServices(DataSource dataSource) {
        pipeline = BillingWebhooks.register(WebhookPipeline.builder()
                        .verifier(StripeVerifier.builder().secret(STRIPE_SECRET).build())
                        .verifier(RevenueCatVerifier.builder().authorization(REVENUECAT_AUTH).build())
                        .store(PostgresIdempotencyStore.create(dataSource)),
                BillingEventApplier.ofDefaults()).build();
        gate = BillingGate.builder().repository(new PostgresBillingRepository(dataSource))
                .cacheTtl(Duration.ofMillis(1)) // every check reads the database: the test sees each change at once
                .build();
        registry = HealthRegistry.builder()
                .register(HealthEndpoints.DATABASE, DatabaseHealthContributor.of(dataSource),
                        HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(20)))
                .build();
    }

    void register(ServletContext servletContext) {
        // quick start (README.md): begin
        TollgateServlets.on(servletContext)
                .webhooks(WebhookServlet.builder(pipeline).build(), "/webhooks/*")
                .billingGate(BillingGateFilter.builder(gate)
                        .tenantResolver(TenantResolver.header("X-Tenant-Id")) // set by your gateway, not by clients
                        .build(), "/api/*")
                .health(HealthServlet.of(HealthEndpoints.builder(registry).version("1.0.0").build()));
        // quick start (README.md): end
    }
}
