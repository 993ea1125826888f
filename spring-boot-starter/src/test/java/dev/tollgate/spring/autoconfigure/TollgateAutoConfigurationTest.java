package dev.tollgate.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.GateObserver;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.BillingRepository;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.micrometer.MicrometerHealthObserver;
import dev.tollgate.health.micrometer.billing.MicrometerGateObserver;
import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookObserver;
import dev.tollgate.health.sentry.SentryScrubber;
import dev.tollgate.spring.AuthenticationTenantResolver;
import dev.tollgate.spring.HeaderTenantResolver;
import dev.tollgate.spring.TenantResolver;
import dev.tollgate.spring.TollgateStartupException;
import dev.tollgate.spring.TollgateWebhookCustomizer;
import dev.tollgate.spring.internal.BillingListenerLifecycle;
import dev.tollgate.spring.internal.SchemaMigration;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.WebhookObserver;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sentry.SentryOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/** Each part off, each user bean winning, and start-up failing clearly on a bad configuration. */
@ExtendWith(OutputCaptureExtension.class)
class TollgateAutoConfigurationTest {

    private static final String STRIPE_SECRET = "whsec_contextRunnerSecret0123456789abcdef";
    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class,
                    TollgateHealthAutoConfiguration.class, TollgateSentryAutoConfiguration.class))
            .withPropertyValues("tollgate.webhooks.stripe.secret=" + STRIPE_SECRET);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class,
                    TollgateWebAutoConfiguration.class))
            .withPropertyValues("tollgate.webhooks.stripe.secret=" + STRIPE_SECRET);

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void without_a_datasource_everything_is_in_memory_and_nothing_migrates() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class);
            assertThat(context).getBean(BillingRepository.class).isInstanceOf(InMemoryBillingRepository.class);
            assertThat(context).hasSingleBean(BillingGate.class).hasSingleBean(WebhookPipeline.class)
                    .hasSingleBean(HealthRegistry.class).hasBean("tollgateHealthIndicator")
                    .doesNotHaveBean(SchemaMigration.class).doesNotHaveBean(BillingListenerLifecycle.class);
            assertThat(context.getBean(HealthRegistry.class).names()).containsExactly("config");
        });
    }

    @Test
    void with_a_datasource_migrations_run_and_the_store_repository_and_verifiers_are_postgres() {
        runner.withBean(DataSource.class, () -> DATABASE.newPool(2)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(SchemaMigration.class).hasSingleBean(BillingListenerLifecycle.class);
            assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(PostgresIdempotencyStore.class);
            assertThat(context).getBean(BillingRepository.class).isInstanceOf(PostgresBillingRepository.class);
            assertThat(context.getBean(HealthRegistry.class).names()).contains("database",
                    "webhooks.verify_webhook_schema", "billing.verify_billing_schema",
                    "tollgate.verify_final_hardening", "webhooks.backlog", "billing.gate", "config");
            assertThat(tableExists("webhooks.events")).isTrue();
        });
    }

    @Test
    void migrations_off_leaves_the_database_alone() throws SQLException {
        try (TestDatabase empty = TestPostgres.shared().createDatabase()) {
            runner.withBean(DataSource.class, () -> empty.newPool(2))
                    .withPropertyValues("tollgate.migrations.enabled=false", "tollgate.billing.listener-enabled=false")
                    .run(context -> {
                        assertThat(context).hasNotFailed().doesNotHaveBean(SchemaMigration.class);
                        assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(PostgresIdempotencyStore.class);
                    });
            assertThat(tableExists(empty.dataSource(), "webhooks.events")).isFalse();
        }
    }

    @Test
    void memory_store_is_chosen_even_with_a_datasource() {
        runner.withBean(DataSource.class, () -> DATABASE.newPool(2)).withPropertyValues("tollgate.webhooks.store=memory")
                .run(context -> {
                    assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class);
                    assertThat(context).getBean(BillingRepository.class).isInstanceOf(InMemoryBillingRepository.class);
                });
    }

    @Test
    void no_endpoint_configured_means_no_pipeline_but_a_gate() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WebhookPipeline.class)
                        .hasSingleBean(BillingGate.class).hasSingleBean(IdempotencyStore.class));
    }

    @Test
    void webhooks_off_creates_no_store_and_no_pipeline() {
        runner.withPropertyValues("tollgate.webhooks.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyStore.class)
                    .doesNotHaveBean(WebhookPipeline.class).hasSingleBean(BillingGate.class);
        });
    }

    @Test
    void billing_off_creates_no_gate_and_the_pipeline_has_no_billing_handlers() {
        runner.withPropertyValues("tollgate.billing.enabled=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootCause(context.getStartupFailure())).isInstanceOf(TollgateStartupException.class)
                    .hasMessageContaining("no handler was registered")
                    .hasMessageContaining("TollgateWebhookCustomizer");
        });
        runner.withPropertyValues("tollgate.billing.enabled=false")
                .withBean(TollgateWebhookCustomizer.class, () -> p -> p.on("invoice.paid", e -> { }))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(BillingGate.class)
                        .doesNotHaveBean(BillingRepository.class).hasSingleBean(WebhookPipeline.class));
    }

    @Test
    void health_off_creates_no_indicator_and_sentry_backs_off_without_sentry() {
        runner.withPropertyValues("tollgate.health.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(HealthRegistry.class)
                        .doesNotHaveBean(HealthIndicator.class).hasSingleBean(SentryScrubber.class));
        runner.withClassLoader(new FilteredClassLoader(SentryOptions.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(SentryScrubber.class));
        runner.withPropertyValues("tollgate.sentry.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(SentryScrubber.class));
    }

    @Test
    void user_beans_win() {
        IdempotencyStore store = InMemoryIdempotencyStore.builder().build();
        BillingGate gate = BillingGate.builder().repository(new InMemoryBillingRepository(java.time.Clock.systemUTC()))
                .build();
        runner.withBean(IdempotencyStore.class, () -> store).withBean(BillingGate.class, () -> gate).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(IdempotencyStore.class)).isSameAs(store);
            assertThat(context.getBean(BillingGate.class)).isSameAs(gate);
        });
        WebhookPipeline pipeline = WebhookPipeline.builder().store(store)
                .verifier(dev.tollgate.webhooks.StripeVerifier.builder().secret(STRIPE_SECRET).build())
                .on("invoice.paid", e -> { }).build();
        runner.withBean(WebhookPipeline.class, () -> pipeline).run(context ->
                assertThat(context.getBean(WebhookPipeline.class)).isSameAs(pipeline));
    }

    @Test
    void customizers_add_handlers_to_the_pipeline() {
        AtomicInteger handled = new AtomicInteger();
        runner.withPropertyValues("tollgate.webhooks.stripe.enabled=false",
                        "tollgate.webhooks.standard-webhooks.secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "tollgate.webhooks.standard-webhooks.provider=acme")
                .withBean(TollgateWebhookCustomizer.class, () -> p -> p.on("thing.happened", e -> handled.incrementAndGet()))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookResult unsigned = context.getBean(WebhookPipeline.class)
                            .handle("acme", WebhookRequest.of(Map.of(), "{}".getBytes()));
                    assertThat(unsigned.httpStatus()).isEqualTo(400);
                    WebhookResult stripe = context.getBean(WebhookPipeline.class)
                            .handle("stripe", WebhookRequest.of(Map.of(), "{}".getBytes()));
                    assertThat(stripe.httpStatus()).as("stripe is off: unknown provider").isNotEqualTo(200);
                });
    }

    @Test
    void an_enabled_endpoint_without_its_secret_stops_start_up_with_every_problem_in_one_message() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class))
                .withPropertyValues("tollgate.webhooks.stripe.enabled=true",
                        "tollgate.webhooks.revenuecat.enabled=true",
                        "tollgate.webhooks.standard-webhooks.path=no-slash",
                        "tollgate.webhooks.standard-webhooks.secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                        "tollgate.billing.cache-ttl=0s",
                        "tollgate.webhooks.max-attempts=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = rootCause(context.getStartupFailure());
                    assertThat(failure).isInstanceOf(TollgateStartupException.class);
                    TollgateStartupException e = (TollgateStartupException) failure;
                    assertThat(e.problems()).hasSize(5);
                    assertThat(e.getMessage())
                            .contains("Tollgate cannot start: 5 problems")
                            .contains("tollgate.webhooks.stripe.secret (or TOLLGATE_STRIPE_WEBHOOK_SECRET)")
                            .contains("tollgate.webhooks.revenuecat.authorization")
                            .contains("tollgate.webhooks.standard-webhooks.path must be an absolute path")
                            .contains("tollgate.billing.cache-ttl must be between 1ms and 1h, but was PT0S")
                            .contains("tollgate.webhooks.max-attempts must be at least 1, but was 0")
                            .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
                });
    }

    @Test
    void in_production_the_health_validator_problems_join_the_start_up_failure_with_secrets_masked() {
        runner.withPropertyValues("tollgate.environment=production",
                        "tollgate.webhooks.revenuecat.authorization=short",
                        "tollgate.billing.enforcement=off")
                .run(context -> {
                    assertThat(context).hasFailed();
                    TollgateStartupException e = (TollgateStartupException) rootCause(context.getStartupFailure());
                    assertThat(e.getMessage())
                            .contains("TOLLGATE_REVENUECAT_WEBHOOK_SECRET")
                            .contains("TOLLGATE_BILLING_ENFORCEMENT")
                            .contains("TOLLGATE_DATABASE_URL")
                            .doesNotContain(STRIPE_SECRET).doesNotContain("=short");
                });
        runner.withPropertyValues("tollgate.environment=production", "tollgate.validation.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void secrets_come_from_tollgate_environment_variable_names_when_no_property_is_set() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class))
                .withPropertyValues("STRIPE_WEBHOOK_SECRET=" + STRIPE_SECRET)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    WebhookResult unsigned = context.getBean(WebhookPipeline.class)
                            .handle("stripe", WebhookRequest.of(Map.of(), "{}".getBytes()));
                    assertThat(unsigned.reason()).isEqualTo("missing_header");
                });
    }

    @Test
    void web_parts_tenant_from_authentication_by_default_user_resolver_wins_filter_only_when_enabled() {
        // spring-security-core is on this class path (the starter's optional dependency): the tenant is a claim
        web.run(context -> {
            assertThat(context).hasNotFailed().hasBean("tollgateWebhookEndpoints")
                    .hasBean("tollgateRequiresBilling").doesNotHaveBean(FilterRegistrationBean.class);
            assertThat(context.getBean(TenantResolver.class)).isInstanceOfSatisfying(
                    AuthenticationTenantResolver.class, r -> assertThat(r.claimName()).isEqualTo("tenant_id"));
        });
        web.withPropertyValues("tollgate.billing.tenant.claim=org_id").run(context ->
                assertThat(context.getBean(TenantResolver.class)).isInstanceOfSatisfying(
                        AuthenticationTenantResolver.class, r -> assertThat(r.claimName()).isEqualTo("org_id")));
        web.withPropertyValues("tollgate.billing.tenant.source=principal-name").run(context ->
                assertThat(context.getBean(TenantResolver.class)).isInstanceOfSatisfying(
                        AuthenticationTenantResolver.class, r -> assertThat(r.claimName()).isNull()));
        TenantResolver mine = request -> "fixed";
        web.withBean(TenantResolver.class, () -> mine).withPropertyValues("tollgate.billing.filter.enabled=true")
                .run(context -> {
                    assertThat(context.getBean(TenantResolver.class)).isSameAs(mine);
                    assertThat(context).hasSingleBean(FilterRegistrationBean.class);
                    FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
                    assertThat(List.copyOf(filter.getUrlPatterns())).containsExactly("/api/*");
                });
        web.withPropertyValues("tollgate.billing.enabled=false", "tollgate.webhooks.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("tollgateRequiresBilling"));
        web.withPropertyValues("tollgate.webhooks.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ServletContextInitializer.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(TenantResolver.class));
    }

    @Test
    void without_spring_security_a_resolver_or_source_header_start_up_fails_and_says_how_to_choose() {
        WebApplicationContextRunner noSecurity = web.withClassLoader(new FilteredClassLoader("org.springframework.security"));
        noSecurity.run(context -> {
            assertThat(context).hasFailed();
            TollgateStartupException e = startupException(context.getStartupFailure());
            assertThat(e.reason()).isEqualTo(TollgateStartupException.Reason.NO_TENANT_SOURCE);
            assertThat(e.getMessage()).contains("spring-boot-starter-security").contains("TenantResolver bean")
                    .contains("tollgate.billing.tenant.source=header").contains("trusted proxy")
                    .contains("tollgate.billing.enabled=false");
        });
        noSecurity.withPropertyValues("tollgate.billing.tenant.source=authentication").run(context -> {
            TollgateStartupException e = startupException(context.getStartupFailure());
            assertThat(e.reason()).isEqualTo(TollgateStartupException.Reason.INVALID_CONFIGURATION);
            assertThat(e.getMessage()).contains("needs Spring Security on the class path");
        });
        TenantResolver mine = request -> "fixed";
        noSecurity.withBean(TenantResolver.class, () -> mine).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TenantResolver.class)).isSameAs(mine);
        });
        noSecurity.withPropertyValues("tollgate.billing.enabled=false", "tollgate.webhooks.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(TenantResolver.class));
    }

    @Test
    void a_header_is_the_tenant_only_when_asked_for_and_start_up_warns_about_it(CapturedOutput output) {
        web.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .withPropertyValues("tollgate.billing.tenant.source=header", "tollgate.billing.tenant.header=X-Org")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TenantResolver.class)).isInstanceOfSatisfying(
                            HeaderTenantResolver.class, r -> assertThat(r.header()).isEqualTo("X-Org"));
                });
        assertThat(output.getAll()).contains("WARN").contains("the tenant comes from the X-Org request header")
                .contains("only behind a trusted proxy");
        web.withPropertyValues("tollgate.billing.tenant.source=header", "tollgate.billing.tenant.header= ")
                .run(context -> assertThat(startupException(context.getStartupFailure()).getMessage())
                        .contains("tollgate.billing.tenant.header must not be blank"));
        web.withPropertyValues("tollgate.billing.tenant-header=X-Org").run(context ->
                assertThat(startupException(context.getStartupFailure()).getMessage())
                        .contains("tollgate.billing.tenant-header is no longer read")
                        .contains("tollgate.billing.tenant.source=header"));
    }

    private static TollgateStartupException startupException(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof TollgateStartupException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a TollgateStartupException in %s", String.valueOf(failure)).isNotNull();
        return (TollgateStartupException) cause;
    }

    @Test
    void a_registry_without_tollgate_micrometer_is_said_once_instead_of_silently_recording_nothing() {
        ApplicationContextRunner metrics = runner.withConfiguration(AutoConfigurations.of(
                TollgateMetricsAutoConfiguration.class, TollgateMetricsHintAutoConfiguration.class));
        ApplicationContextRunner withoutArtifact = metrics.withClassLoader(
                new FilteredClassLoader("dev.tollgate.health.micrometer"));
        withoutArtifact.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerWebhookObserver.class)
                    .hasSingleBean(TollgateMetricsHintAutoConfiguration.MissingMetricsArtifact.class);
            assertThat(TollgateMetricsHintAutoConfiguration.HINT).contains("dev.tollgate:tollgate-micrometer")
                    .contains("tollgate.metrics.enabled=false");
        });
        withoutArtifact.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(TollgateMetricsHintAutoConfiguration.MissingMetricsArtifact.class));
        withoutArtifact.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("tollgate.metrics.enabled=false").run(context -> assertThat(context)
                        .doesNotHaveBean(TollgateMetricsHintAutoConfiguration.MissingMetricsArtifact.class));
        metrics.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> assertThat(context)
                .hasSingleBean(MicrometerWebhookObserver.class)
                .doesNotHaveBean(TollgateMetricsHintAutoConfiguration.MissingMetricsArtifact.class));
    }

    @Test
    void meters_go_to_the_application_s_registry_and_user_observers_are_told_too() {
        ApplicationContextRunner metrics = runner.withConfiguration(
                AutoConfigurations.of(TollgateMetricsAutoConfiguration.class));
        metrics.run(context -> assertThat(context).doesNotHaveBean(MicrometerWebhookObserver.class)
                .doesNotHaveBean(MicrometerGateObserver.class));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.withBean(MeterRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerWebhookObserver.class)
                    .hasSingleBean(MicrometerGateObserver.class).hasSingleBean(MicrometerHealthObserver.class);
            context.getBean(BillingGate.class).check("tenant-without-state", OperationClass.WRITE);
            assertThat(registry.find("tollgate.gate.decisions").tag("outcome", "blocked").counter()).isNotNull();
            assertThat(registry.get("tollgate.gate.cache.size").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("tollgate.gate.cache.evictions").functionCounter().count()).isZero();
            context.getBean(WebhookPipeline.class).handle("stripe", WebhookRequest.of(Map.of(), "{}".getBytes()));
            assertThat(registry.find("tollgate.webhook.verification.failures").meters()).isNotEmpty();
        });
        AtomicInteger decisions = new AtomicInteger();
        GateObserver mine = new GateObserver() {
            @Override
            public void decided(BillingDecision decision) {
                decisions.incrementAndGet();
            }
        };
        SimpleMeterRegistry both = new SimpleMeterRegistry();
        metrics.withBean(MeterRegistry.class, () -> both).withBean(GateObserver.class, () -> mine)
                .run(context -> {
                    assertThat(context).hasSingleBean(MicrometerGateObserver.class);
                    context.getBean(BillingGate.class).check("t", OperationClass.READ);
                    assertThat(decisions).hasValue(1);
                    assertThat(both.find("tollgate.gate.decisions").counters()).isNotEmpty();
                });
        metrics.withBean(MeterRegistry.class, () -> registry).withPropertyValues("tollgate.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerWebhookObserver.class));
    }

    @Test
    void several_observer_beans_are_all_told_even_when_one_throws() {
        AtomicInteger gateCalls = new AtomicInteger();
        AtomicInteger webhookCalls = new AtomicInteger();
        GateObserver failing = new GateObserver() {
            @Override
            public void decided(BillingDecision decision) {
                throw new IllegalStateException("observer bug");
            }
        };
        GateObserver counting = new GateObserver() {
            @Override
            public void decided(BillingDecision decision) {
                gateCalls.incrementAndGet();
            }
        };
        WebhookObserver first = new WebhookObserver() {
            @Override
            public void deliveryRefused(String provider, String reason) {
                webhookCalls.incrementAndGet();
            }
        };
        WebhookObserver second = new WebhookObserver() {
            @Override
            public void deliveryRefused(String provider, String reason) {
                webhookCalls.incrementAndGet();
            }
        };
        runner.withBean("failingGateObserver", GateObserver.class, () -> failing)
                .withBean("countingGateObserver", GateObserver.class, () -> counting)
                .withBean("firstWebhookObserver", WebhookObserver.class, () -> first)
                .withBean("secondWebhookObserver", WebhookObserver.class, () -> second)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(BillingGate.class).check("t", OperationClass.READ);
                    assertThat(gateCalls).hasValue(1);
                    context.getBean(WebhookPipeline.class).handle("stripe", WebhookRequest.of(Map.of(), "{}".getBytes()));
                    assertThat(webhookCalls).hasValue(2);
                });
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof TollgateStartupException)) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean tableExists(String table) throws SQLException {
        return tableExists(DATABASE.dataSource(), table);
    }

    private static boolean tableExists(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Test
    void duplicate_cache_properties_reach_the_pipeline() {
        for (int entries : new int[] {10_000, 0}) {
            AtomicInteger claims = new AtomicInteger();
            IdempotencyStore memory = InMemoryIdempotencyStore.builder().build();
            IdempotencyStore counting = (IdempotencyStore) java.lang.reflect.Proxy.newProxyInstance(
                    IdempotencyStore.class.getClassLoader(), new Class<?>[] {IdempotencyStore.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("claim")) {
                            claims.incrementAndGet();
                        }
                        try {
                            return method.invoke(memory, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            runner.withBean(IdempotencyStore.class, () -> counting)
                    .withPropertyValues("tollgate.webhooks.duplicate-cache-entries=" + entries,
                            "tollgate.webhooks.duplicate-cache-ttl=5m")
                    .run(context -> {
                        WebhookPipeline pipeline = context.getBean(WebhookPipeline.class);
                        WebhookRequest delivery = dev.tollgate.testkit.StripeSigner
                                .of(dev.tollgate.Secret.of(STRIPE_SECRET), java.time.Clock.systemUTC())
                                .sign(dev.tollgate.testkit.StripeEventFixture.invoicePaid().build()).toRequest();
                        assertThat(pipeline.handle("stripe", delivery).status()).isEqualTo("processed");
                        for (int i = 0; i < 3; i++) {
                            assertThat(pipeline.handle("stripe", delivery).reason()).isEqualTo("already_processed");
                        }
                    });
            assertThat(claims.get()).as("claims with duplicate-cache-entries=%d", entries)
                    .isEqualTo(entries == 0 ? 4 : 1);
        }
    }
}
