package dev.tollgate.spring.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The runbooks' "the app boots clean, no errors in the logs", for a Spring Boot service with the starter: on
 * a fresh database (Tollgate's migrations run) it starts and stops without a WARN or ERROR line, and writes the
 * start-up markers operators grep for (migrations, each webhook endpoint, billing enforcement).
 */
@ExtendWith(OutputCaptureExtension.class)
class StartsCleanTest {

    private static final java.util.regex.Pattern MAIN_THREAD = java.util.regex.Pattern.compile("\\[\\s*main\\]");

    @Test
    void startAndStopOnAFreshDatabaseLogNoWarningOrError(CapturedOutput output) {
        try (TestDatabase database = TestPostgres.shared().createDatabase()) {
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RunbookApplication.class)
                    .properties("server.port=0",
                            "spring.datasource.url=" + database.jdbcUrl(),
                            "spring.datasource.username=" + database.user(),
                            "spring.datasource.password=" + database.password(),
                            "tollgate.webhooks.stripe.secret=" + RunbookTest.STRIPE_SECRET,
                            "tollgate.webhooks.revenuecat.authorization=" + RunbookTest.REVENUECAT_AUTH)
                    .run()) {
                assertThat(app.isRunning()).isTrue();
            }
        }
        assertThat(output.getAll()).contains("Tomcat started on port").contains("Started ")
                .contains("tollgate.migrations.applied count=")
                .contains("tollgate.webhooks.ready provider=stripe")
                .contains("tollgate.webhooks.ready provider=revenuecat")
                .contains("tollgate.billing.enforcement mode=on");
        // Start-up and shutdown run on the main thread; other test classes' cached contexts (their listeners on
        // databases other tests stopped) may log from their own threads meanwhile, and are not this app.
        assertThat(output.getAll().lines().filter(l -> MAIN_THREAD.matcher(l).find())
                .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList()).isEmpty();
    }
}
