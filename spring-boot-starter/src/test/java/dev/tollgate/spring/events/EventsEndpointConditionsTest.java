package dev.tollgate.spring.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookBacklog;
import dev.tollgate.spring.autoconfigure.TollgateAutoConfiguration;
import dev.tollgate.spring.autoconfigure.TollgateEventsAutoConfiguration;
import dev.tollgate.spring.internal.TollgateEventsEndpoint;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.WebhookEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The endpoint is off by default: it exists only when granted access and exposed, and only on PostgreSQL. The
 * backlog gauges come with a DataSource and a registry.
 */
class EventsEndpointConditionsTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class,
                    TollgateEventsAutoConfiguration.class))
            // as in a SpringApplication: lenient enum values (read-only, unrestricted)
            .withInitializer(context -> context.getEnvironment()
                    .setConversionService(new ApplicationConversionService()))
            .withPropertyValues("tollgate.webhooks.stripe.secret=whsec_eventsConditionsEventsConditions0123",
                    "tollgate.billing.listener-enabled=false");

    private final WebApplicationContextRunner postgres = runner.withBean(DataSource.class, () -> DATABASE.newPool(2));

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void off_by_default_but_the_operator_commands_are_a_bean() {
        postgres.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(WebhookEvents.class)
                    .doesNotHaveBean(TollgateEventsEndpoint.class);
        });
    }

    @Test
    void exposed_without_access_or_granted_access_without_exposure_is_still_off() {
        postgres.withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TollgateEventsEndpoint.class));
        postgres.withPropertyValues("management.endpoint.tollgate-events.access=unrestricted")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TollgateEventsEndpoint.class));
    }

    @Test
    void granted_access_and_exposed_it_is_there() {
        postgres.withPropertyValues("management.endpoint.tollgate-events.access=read-only",
                        "management.endpoints.web.exposure.include=health,tollgate-events")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TollgateEventsEndpoint.class));
    }

    @Test
    void never_without_postgresql() {
        String[] on = {"management.endpoint.tollgate-events.access=unrestricted",
                "management.endpoints.web.exposure.include=tollgate-events"};
        runner.withPropertyValues(on).run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(WebhookEvents.class).doesNotHaveBean(TollgateEventsEndpoint.class));
        postgres.withPropertyValues(on).withPropertyValues("tollgate.webhooks.store=memory")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(WebhookEvents.class).doesNotHaveBean(TollgateEventsEndpoint.class));
        postgres.withPropertyValues(on).withPropertyValues("tollgate.webhooks.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TollgateEventsEndpoint.class));
    }

    @Test
    void the_backlog_gauges_come_with_a_registry_and_back_off_with_metrics_off() {
        postgres.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerWebhookBacklog.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(TollgateMeters.WEBHOOK_DEAD_LETTERS_OPEN).gauge().value()).isZero();
            assertThat(registry.get(TollgateMeters.WEBHOOK_OLDEST_EVENT_AGE).tag(TollgateMeters.TAG_STATE, "pending")
                    .gauge().value()).isZero();
        });
        postgres.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("tollgate.metrics.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerWebhookBacklog.class));
        postgres.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerWebhookBacklog.class));
    }

    @Test
    void a_database_without_the_schema_answers_503_without_the_drivers_message() {
        try (TestDatabase bare = TestPostgres.shared().createDatabase()) {
            TollgateEventsEndpoint endpoint = new TollgateEventsEndpoint(
                    WebhookEvents.create(bare.dataSource(), Clock.systemUTC()));
            WebEndpointResponse<Map<String, Object>> list = endpoint.list("dead", null, null, null, null, null);
            assertThat(list.getStatus()).isEqualTo(503);
            assertThat(list.getBody()).containsEntry("error", "unavailable");
            assertThat(String.valueOf(list.getBody())).doesNotContain("webhooks.events").doesNotContain(bare.user());
            assertThat(endpoint.redriveOne("stripe", "evt_1").getStatus()).isEqualTo(503);
            assertThat(endpoint.show("stripe", "evt_1").getStatus()).isEqualTo(503);
        }
    }
}
