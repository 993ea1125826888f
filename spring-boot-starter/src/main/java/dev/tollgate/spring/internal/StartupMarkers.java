package dev.tollgate.spring.internal;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.health.StartupMarker;
import dev.tollgate.webhooks.WebhookPipeline;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Writes Tollgate's start-up markers ({@link StartupMarker}, logger {@value StartupMarker#LOGGER_NAME}) once
 * the application is ready, for operators and log pipelines to confirm a go-live:
 * {@code tollgate.migrations.applied count=…}, one {@code tollgate.webhooks.ready provider=…} per configured
 * provider, {@code tollgate.billing.enforcement mode=…}. A marker that cannot be written (a provider name a marker
 * refuses) is reported in one WARN line instead: a log line never stops a running application.
 */
public final class StartupMarkers implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tollgate.spring");

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
        SchemaMigration applied = migration.getIfUnique();
        if (applied != null) {
            write("migrations", "applied", "count", Integer.toString(applied.applied().size()), "tool",
                    applied.tool().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        if (pipeline.getIfUnique() != null) {
            if (settings.stripeEnabled()) {
                write("webhooks", "ready", "provider", "stripe");
            }
            if (settings.revenueCatEnabled()) {
                write("webhooks", "ready", "provider", "revenuecat");
            }
            if (settings.standardWebhooksEnabled()) {
                write("webhooks", "ready", "provider",
                        settings.properties().getWebhooks().getStandardWebhooks().getProvider());
            }
        }
        BillingGate billing = gate.getIfUnique();
        if (billing != null) {
            write("billing", "enforcement", "mode",
                    billing.enforcementMode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    private static void write(String component, String event, String field, String value, String... more) {
        try {
            StartupMarker marker = StartupMarker.of(component, event).with(field, value);
            for (int i = 0; i + 1 < more.length; i += 2) {
                marker = marker.with(more[i], more[i + 1]);
            }
            marker.log();
        } catch (IllegalArgumentException e) {
            LOG.warn("start-up marker tollgate.{}.{} not written: its {} is not a short token", component, event, field);
        }
    }
}
