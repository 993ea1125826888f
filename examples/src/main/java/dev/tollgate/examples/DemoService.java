package dev.tollgate.examples;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingWebhooks;
import dev.tollgate.billing.PostgresBillingListener;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.PostgresConsentRepository;
import dev.tollgate.examples.adapters.BillingGateHttpFilter;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthRegistry;
import dev.tollgate.health.StartupMarker;
import dev.tollgate.health.config.ConfigSetting;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.contributors.ConfigurationHealthContributor;
import dev.tollgate.health.contributors.DatabaseHealthContributor;
import dev.tollgate.health.contributors.PurchasesKillSwitch;
import dev.tollgate.health.contributors.SqlVerifierHealthContributor;
import dev.tollgate.health.contributors.WebhookBacklogHealthContributor;
import dev.tollgate.health.micrometer.MicrometerHealthObserver;
import dev.tollgate.health.micrometer.billing.MicrometerGateObserver;
import dev.tollgate.health.micrometer.consent.MicrometerConsentObserver;
import dev.tollgate.health.micrometer.legal.MicrometerLegalObserver;
import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookBacklog;
import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookObserver;
import dev.tollgate.health.preflight.PreflightSteps;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.LegalPageRenderer;
import dev.tollgate.legal.LegalService;
import dev.tollgate.legal.PostgresLegalRepository;
import dev.tollgate.migrations.AppliedMigration;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookWorker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running demo: database, migrations, seeds, every Tollgate module and the HTTP server, closed in
 * reverse order of start by {@link #close()}.
 */
final class DemoService implements AutoCloseable {

    /** Every verifier function the migrations install; all must answer PASS. */
    static final List<String> VERIFIER_FUNCTIONS = PreflightSteps.VERIFIER_FUNCTIONS;

    /** The largest webhook body accepted (Stripe's and RevenueCat's verifiers refuse more). */
    static final int MAX_WEBHOOK_BYTES = StripeVerifier.DEFAULT_MAX_BODY_BYTES;
    /** The largest body any other POST route accepts. */
    static final int MAX_API_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(DemoService.class);
    private static final String VERSION = versionOfThisJar();

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final HikariDataSource pool;
    private final BillingGate gate;

    private DemoService(Builder parts) {
        this.server = Objects.requireNonNull(parts.server);
        this.httpThreads = Objects.requireNonNull(parts.httpThreads);
        this.pool = Objects.requireNonNull(parts.pool);
        this.gate = Objects.requireNonNull(parts.gate);
        this.resources.addAll(parts.resources);
    }

    /** The parts collected while starting, so a failed start closes what it opened. */
    private static final class Builder {
        final Deque<AutoCloseable> resources = new ArrayDeque<>();
        @Nullable HttpServer server;
        @Nullable ExecutorService httpThreads;
        @Nullable HikariDataSource pool;
        @Nullable BillingGate gate;

        <T extends AutoCloseable> T own(T resource) {
            resources.push(resource);
            return resource;
        }

        void closeAll() {
            while (!resources.isEmpty()) {
                closeQuietly(resources.pop());
            }
        }
    }

    /**
     * Starts everything and serves HTTP.
     *
     * @param settings how to run
     * @param out where the bound address (and generated development secrets) are printed
     * @return the running demo
     * @throws dev.tollgate.health.config.ConfigurationException in production, naming every configuration problem
     */
    static DemoService start(DemoSettings settings, PrintStream out) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(out, "out");
        ProductionConfigValidator config = ProductionConfigValidator.builder()
                .environment(settings.environment())
                // the demo takes RevenueCat webhooks but calls neither Stripe's API nor Sentry
                .require(ConfigSetting.REVENUECAT_WEBHOOK_SECRET)
                .optional(ConfigSetting.STRIPE_API_KEY, ConfigSetting.SENTRY_DSN)
                .build();
        config.validateOrThrow();

        Builder parts = new Builder();
        try {
            String jdbcUrl = settings.jdbcUrl();
            String user = settings.databaseUser();
            String password = settings.databasePassword() == null ? null
                    : Objects.requireNonNull(settings.databasePassword()).reveal();
            if (jdbcUrl == null) {
                EmbeddedPostgres embedded = parts.own(EmbeddedPostgres.builder().start());
                jdbcUrl = embedded.getJdbcUrl("postgres", "postgres");
                user = "postgres";
                password = "postgres";
                StartupMarker.of("database", "embedded").with("port", Integer.toString(embedded.getPort())).log();
            }
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            parts.own(metrics::close);
            HikariDataSource pool = parts.own(pool(jdbcUrl, user, password, "tollgate-demo", 16, metrics));
            parts.pool = pool;
            // LISTEN needs its own session connection, apart from the request pool.
            HikariDataSource listenPool = parts.own(pool(jdbcUrl, user, password, "tollgate-demo-listen", 2, null));

            List<AppliedMigration> applied = SchemaMigrator.forAllModules().migrate(pool);
            StartupMarker.of("migrations", "applied").with("count", Integer.toString(applied.size())).log();

            LegalService legal = LegalService.builder()
                    .repository(new PostgresLegalRepository(pool))
                    .clock(settings.clock())
                    .acceptanceKinds(DocumentKind.TERMS, DocumentKind.PRIVACY)
                    .observer(new MicrometerLegalObserver(metrics))
                    .build();
            ConsentService consent = ConsentService.builder()
                    .repository(new PostgresConsentRepository(pool))
                    .clock(settings.clock())
                    .observer(new MicrometerConsentObserver(metrics))
                    .build();
            int seeded = DemoSeed.seed(legal, consent);
            StartupMarker.of("seed", "done").with("published", Integer.toString(seeded)).log();

            BillingGate gate = BillingGate.builder()
                    .repository(new PostgresBillingRepository(pool))
                    .environment(settings.environment())
                    .clock(settings.clock())
                    .observer(new MicrometerGateObserver(metrics))
                    .build();
            parts.gate = gate;
            parts.own(PostgresBillingListener.builder(listenPool).gate(gate).clock(settings.clock()).build().start());

            WebhookPipeline.Builder pipelineBuilder = BillingWebhooks.register(WebhookPipeline.builder()
                            .verifier(StripeVerifier.builder().secret(settings.stripeSecret())
                                    .clock(settings.clock()).build())
                            .verifier(RevenueCatVerifier.builder().authorization(settings.revenueCatSecret()).build())
                            .store(PostgresIdempotencyStore.create(pool, settings.clock()))
                            .observer(new MicrometerWebhookObserver(metrics))
                            .clock(settings.clock()),
                    BillingEventApplier.ofDefaults());
            DemoRoutes.WebhookIntake intake;
            if (settings.async()) {
                AsyncWebhookPipeline async = pipelineBuilder.buildAsync();
                WebhookWorker worker = parts.own(async.newWorker());
                worker.start();
                intake = async::handle;
            } else {
                intake = pipelineBuilder.build()::handle;
            }
            StartupMarker.of("webhooks", "ready").with("mode", settings.async() ? "async" : "sync").log();
            // oldest pending/failed event age and open dead letters, read at most every 30 s at scrape time
            MicrometerWebhookBacklog.builder(pool).clock(settings.clock()).build().bindTo(metrics);

            HealthRegistry.Builder health = HealthRegistry.builder()
                    .clock(settings.clock())
                    .register(HealthEndpoints.DATABASE, DatabaseHealthContributor.of(pool))
                    .register("config", ConfigurationHealthContributor.of(config),
                            HealthCheckOptions.defaults().withCacheFor(Duration.ofMinutes(1)))
                    .register("purchases", PurchasesKillSwitch.fromEnvironment(settings.environment()),
                            PurchasesKillSwitch.OPTIONS)
                    .register("webhooks.backlog", WebhookBacklogHealthContributor.builder(pool)
                                    .clock(settings.clock()).build(),
                            HealthCheckOptions.defaults().withCritical(false))
                    .observer(new MicrometerHealthObserver(metrics));
            for (String function : VERIFIER_FUNCTIONS) {
                health.register(function, SqlVerifierHealthContributor.of(pool, function),
                        HealthCheckOptions.defaults().withTimeout(Duration.ofSeconds(5)));
            }
            HealthRegistry registry = parts.own(health.build());
            HealthEndpoints endpoints = HealthEndpoints.builder(registry).version(VERSION).build();

            DemoRoutes routes = new DemoRoutes(intake, gate, legal, consent,
                    LegalPageRenderer.builder().siteName("Tollgate demo").basePath("/legal").build(),
                    endpoints, metrics, settings.clock());
            DemoHttpHandler handler = routes.handler();

            ExecutorService httpThreads = Executors.newFixedThreadPool(32, new NamedThreads("tollgate-demo-http"));
            parts.httpThreads = httpThreads;
            HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128);
            server.setExecutor(httpThreads);
            server.createContext("/", handler);
            HttpContext solver = server.createContext(DemoRoutes.SOLVER_PREFIX, handler);
            solver.getFilters().add(new BillingGateHttpFilter(gate));
            server.start();
            parts.server = server;

            DemoService service = new DemoService(parts);
            StartupMarker.of("http", "listening").with("port", Integer.toString(service.port())).log();
            out.println("Tollgate demo " + VERSION + " listening on http://" + settings.host() + ":" + service.port());
            if (settings.generatedSecrets()) {
                out.println("Development secrets (generated for this run, shown only here):");
                out.println("  STRIPE_WEBHOOK_SECRET=" + settings.stripeSecret().reveal());
                out.println("  REVENUECAT_WEBHOOK_SECRET=" + settings.revenueCatSecret().reveal());
            }
            out.flush();
            return service;
        } catch (RuntimeException | IOException e) {
            if (parts.server != null) {
                parts.server.stop(0);
            }
            if (parts.httpThreads != null) {
                parts.httpThreads.shutdownNow();
            }
            parts.closeAll();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("could not start the demo: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** @return the bound port */
    int port() {
        return server.getAddress().getPort();
    }

    /** @return the request pool (tests run their SQL checks through it) */
    HikariDataSource dataSource() {
        return pool;
    }

    /** @return the billing gate */
    BillingGate gate() {
        return gate;
    }

    /**
     * Stops the server (letting requests in flight finish for up to a second), then the webhook worker,
     * the billing listener, the health registry, the pools and the embedded database.
     */
    @Override
    public synchronized void close() {
        server.stop(1);
        httpThreads.shutdown();
        while (!resources.isEmpty()) {
            closeQuietly(resources.pop());
        }
        StartupMarker.of("demo", "stopped").log();
    }

    private static HikariDataSource pool(String jdbcUrl, @Nullable String user, @Nullable String password,
                                         String name, int size, @Nullable PrometheusMeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(2, size));
        config.setConnectionTimeout(5_000);
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        return new HikariDataSource(config);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
        }
    }

    private static String versionOfThisJar() {
        String version = DemoService.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Names the HTTP threads so thread dumps say what they are. */
    private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        NamedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
