package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runbooks' "the app boots clean, no errors in the logs": starting and stopping the demo on a fresh
 * database writes no WARN or ERROR line (the test logging level is WARN, so any such line is captured).
 */
class DemoBootsCleanTest {

    @Test
    void startAndStopOnAFreshDatabaseLogNoWarningOrError() {
        try (TestDatabase database = TestPostgres.shared().createDatabase()) {
            DemoSettings settings = new DemoSettings("127.0.0.1", 0, database.jdbcUrl(), database.user(),
                    Secret.of(database.password()), false, Secret.of("whsec_boots_clean_0123456789abcdef"),
                    Secret.of("rc_boots_clean_secret_42"), false, Map.of(), Clock.systemUTC());
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            String logged = stderrDuring(() -> {
                try (DemoService demo = DemoService.start(settings,
                        new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                    assertTrue(demo.port() > 0);
                }
            });
            // start and stop run on the main thread; other test classes' leftover threads are not this demo
            List<String> problems = logged.lines().filter(l -> l.startsWith("[main]"))
                    .filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
            assertEquals(List.of(), problems, logged);
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("listening on http://127.0.0.1:"),
                    printed.toString(StandardCharsets.UTF_8));
        }
    }

    /** slf4j-simple looks System.err up for every line, so swapping it captures what the demo logs. */
    private static synchronized String stderrDuring(Runnable block) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            block.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
