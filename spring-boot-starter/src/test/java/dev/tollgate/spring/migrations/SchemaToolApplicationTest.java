package dev.tollgate.spring.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.migrations.MigrationTool;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.spring.TollgateStartupException;
import dev.tollgate.spring.internal.SchemaMigration;
import dev.tollgate.spring.runbook.RunbookApplication;
import dev.tollgate.testkit.ReplayResult;
import dev.tollgate.testkit.Replayer;
import dev.tollgate.testkit.SignedDelivery;
import dev.tollgate.testkit.StripeEventFixture;
import dev.tollgate.testkit.StripeSigner;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application that already runs a schema tool, with its own {@code V1} migration that reads a
 * Tollgate table, adds the starter and nothing else: Tollgate's modules migrate through that tool, first, into
 * their own history; the runbook passes over HTTP; replicas racing on an empty database migrate once; an edited
 * applied file stops start-up naming the file. Each subclass runs on a class path with one tool.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class SchemaToolApplicationTest {

    private static final Pattern MAIN_THREAD = Pattern.compile("\\[\\s*main\\]");

    /** The Stripe signing secret of the application under test. */
    protected static final String STRIPE_SECRET = "whsec_schemaToolSchemaTool0123456789";

    private final HttpClient http = HttpClient.newHttpClient();

    /** @return the tool this class path has */
    protected abstract MigrationTool tool();

    /** @return the application's own properties for its tool, such as where its changelog is */
    protected abstract List<String> toolProperties();

    /**
     * @param dataSource the database
     * @return what the application's own history table records, in order
     * @throws SQLException if it cannot be read
     */
    protected abstract List<String> applicationHistory(DataSource dataSource) throws SQLException;

    /**
     * @param dataSource the database
     * @return how many of Tollgate's files its history records as applied
     * @throws SQLException if it cannot be read
     */
    protected abstract long tollgateFilesRecorded(DataSource dataSource) throws SQLException;

    /** @return SQL that makes the history's checksum of webhooks' V1 disagree with the file, as an edit would */
    protected abstract String editWebhooksV1();

    /**
     * Starts the runbook application on a database.
     *
     * @param database the database
     * @param more more properties
     * @return the running application
     */
    protected ConfigurableApplicationContext start(TestDatabase database, String... more) {
        return application(database, more).run();
    }

    private SpringApplicationBuilder application(TestDatabase database, String... more) {
        List<String> properties = new ArrayList<>(List.of("server.port=0",
                "spring.datasource.url=" + database.jdbcUrl(),
                "spring.datasource.username=" + database.user(),
                "spring.datasource.password=" + database.password(),
                "tollgate.webhooks.stripe.secret=" + STRIPE_SECRET,
                "tollgate.billing.cache-ttl=1ms"));
        properties.addAll(toolProperties());
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(RunbookApplication.class).properties(properties.toArray(String[]::new));
    }

    @Test
    void tollgateMigratesFirstThroughTheApplicationsToolIntoItsOwnHistoryAndTheRunbookPasses() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase();
             // the test's HTTP client plays the trusted proxy that sets the tenant header
             ConfigurableApplicationContext app = start(database, "tollgate.billing.tenant.source=header")) {
            DataSource dataSource = database.dataSource();
            SchemaMigration migration = app.getBean(SchemaMigration.class);
            assertEquals(tool(), migration.tool(), "auto picks the tool on the class path");
            int files = SchemaMigrator.forAllModules().migrations().size();
            assertEquals(files, migration.applied().size());
            assertEquals(files, tollgateFilesRecorded(dataSource));
            assertEquals(List.of(applicationsOwnChange()), applicationHistory(dataSource),
                    "the application's history holds only its own rows");
            assertEquals(0L, count(dataSource, "SELECT count(*) FROM public.app_tenant_status"),
                    "the application's migration ran after Tollgate's (its view reads billing.tenant_billing)");

            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            String tenant = "tenant-" + UUID.randomUUID();
            StripeSigner stripe = StripeSigner.of(Secret.of(STRIPE_SECRET), Clock.systemUTC());
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
            SignedDelivery created = stripe.sign(StripeEventFixture.subscriptionCreated().tenant(tenant)
                    .customer("cus_" + tenant).subscription("sub_" + tenant).created(start).build());
            ReplayResult three = Replayer.toUrl(url(port, "/webhooks/stripe"), http).inSequence(created, 3);
            three.assertExactlyOnce(dataSource, () -> (int) countFor(dataSource,
                    "SELECT count(*) FROM billing.audit_log WHERE tenant_id = ?", tenant));
            assertEquals(201, post(port, tenant).statusCode());

            SignedDelivery pastDue = stripe.sign(StripeEventFixture.subscriptionUpdated().tenant(tenant)
                    .customer("cus_" + tenant).subscription("sub_" + tenant).status("past_due")
                    .previousStatus("active").created(start.plusSeconds(30)).build());
            assertEquals(200, Replayer.toUrl(url(port, "/webhooks/stripe"), http).deliver(pastDue).httpStatus());
            HttpResponse<String> denied = post(port, tenant);
            assertEquals(402, denied.statusCode());
            assertThat(denied.body()).contains("\"billing_status\":\"past_due\"");

            for (String verifier : List.of("webhooks.verify_webhook_schema", "billing.verify_billing_schema",
                    "tollgate.verify_final_hardening")) {
                IntegrityReport report = SqlIntegrityVerifier.of(dataSource, verifier).verify();
                // consent and legal are not on this application's class path: their checks WARN "not installed"
                List<IntegrityCheck> failing = report.checks().stream()
                        .filter(c -> c.status() == IntegrityCheck.Status.FAIL).toList();
                assertEquals(List.of(), failing, verifier);
            }
            assertEquals(List.of("PASS"), rows(dataSource, "SELECT status FROM tollgate.verify_final_hardening()"
                    + " WHERE check_name = 'schema_history_present'"), "the hardening check reads this tool's history");
        }
    }

    @Test
    void aFreshStartLogsNoWarningOrError(CapturedOutput output) {
        try (TestDatabase database = TestPostgres.shared().createDatabase()) {
            start(database).close();
        }
        String tool = tool().name().toLowerCase(Locale.ROOT).replace('_', '-');
        assertThat(output.getAll()).contains("tollgate.migrations.applied count=").contains("tool=" + tool);
        assertThat(output.getAll().lines().filter(l -> MAIN_THREAD.matcher(l).find())
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList()).isEmpty();
    }

    @Test
    void twoReplicasStartingAtOnceOnAnEmptyDatabaseMigrateOnce() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase()) {
            // Spring Boot's logging set-up is JVM-wide and not safe to run twice at once ("Unable to find Spring
            // Environment in logger context"): the second replica starts once the first one's logging is set up,
            // well before either reaches its migrations (two processes would not share it).
            CountDownLatch loggingReady = new CountDownLatch(1);
            CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture.supplyAsync(() ->
                    application(database).listeners((ApplicationListener<ApplicationContextInitializedEvent>)
                            event -> loggingReady.countDown()).run());
            CompletableFuture<ConfigurableApplicationContext> second = CompletableFuture.supplyAsync(() -> {
                try {
                    loggingReady.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return start(database);
            });
            try (ConfigurableApplicationContext a = first.get(120, TimeUnit.SECONDS);
                 ConfigurableApplicationContext b = second.get(120, TimeUnit.SECONDS)) {
                int files = SchemaMigrator.forAllModules().migrations().size();
                assertEquals(files, a.getBean(SchemaMigration.class).applied().size()
                        + b.getBean(SchemaMigration.class).applied().size(), "each file applied by one of them");
                assertEquals(files, tollgateFilesRecorded(database.dataSource()));
                assertEquals(List.of(applicationsOwnChange()), applicationHistory(database.dataSource()));
            }
        }
    }

    @Test
    void anEditedAppliedFileStopsStartUpNamingTheFileAndTheFix() throws SQLException {
        try (TestDatabase database = TestPostgres.shared().createDatabase()) {
            start(database).close();
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate(editWebhooksV1()));
            }
            Exception failure = assertThrows(Exception.class, () -> start(database).close());
            TollgateStartupException cause = rootTollgateCause(failure);
            assertEquals(TollgateStartupException.Reason.MIGRATION_FAILED, cause.reason());
            assertThat(cause.getMessage()).contains("migration db/tollgate/webhooks/V1__webhook_events.sql was changed"
                    + " after it was applied").contains("never edit an applied migration")
                    .containsPattern("add V[0-9]+__… beside it"); // the module's next version
        }
    }

    @Test
    void migrationsSwitchedOffLeaveTheSchemaAlone() throws SQLException {
        try (TestDatabase database = TestPostgres.shared().createDatabase();
             ConfigurableApplicationContext app = start(database, "tollgate.migrations.enabled=false",
                     "spring.flyway.enabled=false", "spring.liquibase.enabled=false")) {
            assertTrue(app.getBeansOfType(SchemaMigration.class).isEmpty());
            assertEquals(0L, count(database.dataSource(),
                    "SELECT count(*) FROM pg_namespace WHERE nspname IN ('webhooks', 'billing', 'tollgate')"));
        }
    }

    /** @return the application's own change as its history names it */
    protected abstract String applicationsOwnChange();

    private static TollgateStartupException rootTollgateCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TollgateStartupException startup) {
                return startup;
            }
        }
        throw new AssertionError("no TollgateStartupException in " + failure, failure);
    }

    private HttpResponse<String> post(int port, String tenant) throws Exception {
        return http.send(HttpRequest.newBuilder(url(port, "/api/projects")).header("X-Tenant-Id", tenant)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /**
     * @param dataSource the database
     * @param sql a query returning one number
     * @return the number
     * @throws SQLException if the query fails
     */
    protected static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * @param dataSource the database
     * @param sql a query returning text rows
     * @return the rows' first column
     * @throws SQLException if the query fails
     */
    protected static List<String> rows(DataSource dataSource, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static long countFor(DataSource dataSource, String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
