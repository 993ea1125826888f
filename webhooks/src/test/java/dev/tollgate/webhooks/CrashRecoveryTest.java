package dev.tollgate.webhooks;

import static dev.tollgate.webhooks.TestDeliveries.count;
import static dev.tollgate.webhooks.TestDeliveries.execute;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Production faults with real processes: a replica killed with {@code kill -9} in the middle of its work loses
 * nothing and leaves nothing stuck beyond one lease; a handler slower than the lease keeps its event (the
 * heartbeat renews it) instead of having it run twice.
 */
class CrashRecoveryTest {

    private static final int EVENTS = 200;
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration HANDLER = Duration.ofMillis(50);

    @TempDir
    Path logs;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "sync"})
    void aReplicaKilledMidFlightLosesNothingAndEveryEventIsProcessedOnceWithin30Seconds(String mode) throws Exception {
        boolean async = "async".equals(mode);
        try (TestDatabase database = TestPostgres.shared().createDatabase().migrate()) {
            DataSource db = database.dataSource();
            execute(db, CrashReplica.EFFECTS_TABLE);
            Path log = logs.resolve("doomed-" + mode + ".log");
            Process doomed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashReplica.class.getName(),
                    database.jdbcUrl(), database.user(), database.password(), mode, Integer.toString(EVENTS),
                    Long.toString(LEASE.toMillis()), Long.toString(HANDLER.toMillis()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long held;
            try {
                // mid-flight: some effects committed, and (async) events held under the doomed replica's lease
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                        !doomed.isAlive() || count(db, "SELECT count(*) FROM public.crash_effects") >= 10
                                && (!async || count(db, "SELECT count(*) FROM webhooks.events"
                                        + " WHERE state = 'processing'") > 0));
                assertTrue(doomed.isAlive(), () -> "the replica died on its own: " + tail(log));
            } finally {
                doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the JVM
                doomed.waitFor(30, TimeUnit.SECONDS);
            }
            long crashed = System.nanoTime();
            held = count(db, "SELECT count(*) FROM webhooks.events WHERE state = 'processing'");
            long doneBefore = count(db, "SELECT count(*) FROM public.crash_effects");
            assertTrue(doneBefore < EVENTS, "killed before it finished");

            try (CrashReplica survivor = new CrashReplica("survivor", database.jdbcUrl(), database.user(),
                    database.password(), async, LEASE, HANDLER)) {
                resendUntilAcknowledged(survivor);
                await().atMost(Duration.ofSeconds(30).minusNanos(System.nanoTime() - crashed))
                        .pollInterval(Duration.ofMillis(50)).until(() -> count(db,
                                "SELECT count(*) FROM webhooks.events WHERE state = 'processed'") == EVENTS);
            }
            assertEquals(EVENTS, count(db, "SELECT count(*) FROM public.crash_effects"), "no effect twice");
            assertEquals(EVENTS, count(db, "SELECT count(DISTINCT event_id) FROM public.crash_effects"), "none lost");
            assertEquals(0, count(db, "SELECT count(*) FROM webhooks.events WHERE state <> 'processed'"));
            if (async) {
                assertTrue(held > 0, "the crash left events under lease, which moved to the survivor");
            }
        }
    }

    @Test
    void aHandlerSlowerThanTheLeaseKeepsItsEventsWhileAnotherReplicaPolls() throws Exception {
        Duration lease = Duration.ofMillis(600);
        Duration slow = Duration.ofMillis(1500);
        try (TestDatabase database = TestPostgres.shared().createDatabase().migrate()) {
            DataSource db = database.dataSource();
            execute(db, CrashReplica.EFFECTS_TABLE);
            try (CrashReplica first = new CrashReplica("first", database.jdbcUrl(), database.user(),
                         database.password(), true, lease, slow);
                 CrashReplica second = new CrashReplica("second", database.jdbcUrl(), database.user(),
                         database.password(), true, lease, slow)) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(200, first.deliver("evt_slow_" + i));
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> count(db,
                        "SELECT count(*) FROM webhooks.events WHERE state = 'processed'") == 4);
            }
            assertEquals(0, count(db, "SELECT count(*) FROM webhooks.events WHERE attempts <> 1"),
                    "no handler ran twice: the leases were renewed while the handlers outlasted them");
            assertEquals(4, count(db, "SELECT count(*) FROM public.crash_effects"));
        }
    }

    /** A provider sends every delivery again until it is answered 2xx. */
    private static void resendUntilAcknowledged(CrashReplica replica) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                String id = "evt_" + i;
                sent.add(senders.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                    while (replica.deliver(id) / 100 != 2 && System.nanoTime() < deadline) {
                        Thread.sleep(200); // a provider's retry, compressed
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
