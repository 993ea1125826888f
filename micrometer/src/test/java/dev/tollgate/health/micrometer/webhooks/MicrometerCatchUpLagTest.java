package dev.tollgate.health.micrometer.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeCatchUp;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The catch-up lag gauge the dashboard's catch-up panel and the TollgateCatchUpLagging alert read. */
@TollgatePostgres
class MicrometerCatchUpLagTest {

    @Test
    void theGaugeIsTheCursorsAgeReadAtEveryScrapeAndEmptyUntilARunFinished(DataSource dataSource) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder().secret("whsec_lag_gauge_test_0123456789").clock(clock).build())
                .store(PostgresIdempotencyStore.create(dataSource, clock))
                .on("*", event -> { })
                .build();
        StripeCatchUp catchUp = StripeCatchUp.builder().apiKey(Secret.of("rk_test_lag_gauge_0123456789"))
                .apiBase(URI.create("http://127.0.0.1:9")).pipeline(pipeline).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerCatchUpLag.register(registry, catchUp);

        assertTrue(Double.isNaN(registry.get(TollgateMeters.WEBHOOK_CATCHUP_LAG).gauge().value()),
                "no run finished: no sample");

        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.catch_up_cursors (provider, window_from, window_until, caught_up_until,"
                        + " updated_at) VALUES ('stripe', ?, ?, ?, ?)")) {
            Instant until = Instant.parse("2026-11-30T06:00:00Z");
            s.setTimestamp(1, Timestamp.from(until.minusSeconds(86_400)));
            s.setTimestamp(2, Timestamp.from(until));
            s.setTimestamp(3, Timestamp.from(until));
            s.setTimestamp(4, Timestamp.from(until));
            s.executeUpdate();
        }
        assertEquals(30 * 3600, registry.get(TollgateMeters.WEBHOOK_CATCHUP_LAG).gauge().value(), 1e-9);
        assertTrue(registry.scrape().contains("tollgate_webhook_catchup_lag_seconds{provider=\"stripe\"} 108000"),
                registry.scrape());
        registry.close();
    }
}
