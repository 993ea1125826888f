package dev.tollgate.spring.internal;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.health.StartupMarker;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.webhooks.WebhookPipeline;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Writes Tollgate's start-up markers ({@link StartupMarker}, logger {@value StartupMarker#LOGGER_NAME}) once
 * the application is ready, for operators and log pipelines to confirm a go-live:
 * {@code tollgate.migrations.applied count=…}, one {@code tollgate.webhooks.ready provider=… path=…} per
 * endpoint, {@code tollgate.billing.enforcement mode=…}.
 */
public final class StartupMarkers implements ApplicationListener<ApplicationReadyEvent> {

    private final TollgateSettings settings;
    private final ObjectProvider<SchemaMigration> migration;
    private final ObjectProvider<WebhookPipeline> pipeline;
    private final ObjectProvider<BillingGate> gate;

    /**
     * @param settings the settings in effect
     * @param migration Tollgate's migration run, when it ran
     * @param pipeline the webhook pipeline, when there is one
     * @param gate the billing gate, when there is one
     */
    public StartupMarkers(TollgateSettings settings, ObjectProvider<SchemaMigration> migration,
                          ObjectProvider<WebhookPipeline> pipeline, ObjectProvider<BillingGate> gate) {
        this.settings = settings;
        this.migration = migration;
        this.pipeline = pipeline;
        this.gate = gate;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        SchemaMigration applied = migration.getIfAvailable();
        if (applied != null) {
            StartupMarker.of("migrations", "applied").with("count", Integer.toString(applied.applied().size())).log();
        }
        if (pipeline.getIfAvailable() != null) {
            TollgateProperties.Webhooks webhooks = settings.properties().getWebhooks();
            if (settings.stripeEnabled()) {
                ready("stripe", webhooks.getStripe().getPath());
            }
            if (settings.revenueCatEnabled()) {
                ready("revenuecat", webhooks.getRevenuecat().getPath());
            }
            if (settings.standardWebhooksEnabled()) {
                ready(webhooks.getStandardWebhooks().getProvider(), webhooks.getStandardWebhooks().getPath());
            }
        }
        BillingGate billing = gate.getIfAvailable();
        if (billing != null) {
            StartupMarker.of("billing", "enforcement")
                    .with("mode", billing.enforcementMode().name().toLowerCase(Locale.ROOT).replace('_', '-')).log();
        }
    }

    private static void ready(String provider, String path) {
        StartupMarker.of("webhooks", "ready").with("provider", provider).with("path", path).log();
    }
}
