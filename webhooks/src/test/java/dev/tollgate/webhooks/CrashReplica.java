package dev.tollgate.webhooks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One replica of a service in the crash tests: its own connection pool and pipeline on the shared database, a
 * transactional handler whose effect (a row in {@code crash_effects}) commits with the event, and delivery
 * threads that hand it events as a provider would. {@link #main} runs it as a separate JVM that the test kills
 * with {@code kill -9}; the test runs a second replica in its own JVM with the same code.
 */
final class CrashReplica implements AutoCloseable {

    static final String EFFECTS_TABLE = "CREATE TABLE IF NOT EXISTS public.crash_effects"
            + " (event_id text NOT NULL, replica text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())";

    private final HikariDataSource pool;
    private final String name;
    private final WebhookPipeline sync;
    private final AsyncWebhookPipeline async;
    private final WebhookWorker worker;

    CrashReplica(String name, String jdbcUrl, String user, String password, boolean asynchronous, Duration lease,
                 Duration handlerTime) {
        this.name = name;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(12);
        config.setPoolName("crash-" + name);
        this.pool = new HikariDataSource(config);
        WebhookPipeline.Builder builder = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, Clock.systemUTC()))
                .store(PostgresIdempotencyStore.create(pool))
                .lease(lease)
                .pollInterval(Duration.ofMillis(100))
                .workerThreads(4)
                .onTransactional("invoice.paid", (event, connection) -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO public.crash_effects (event_id, replica) VALUES (?, ?)")) {
                        insert.setString(1, event.id());
                        insert.setString(2, name);
                        insert.executeUpdate();
                    }
                    try {
                        Thread.sleep(handlerTime.toMillis()); // a handler doing real work
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                });
        if (asynchronous) {
            this.sync = null;
            this.async = builder.buildAsync();
            this.worker = async.newWorker();
            worker.start();
        } else {
            this.sync = builder.build();
            this.async = null;
            this.worker = null;
        }
    }

    /** Delivers one event; the answer's HTTP status. */
    int deliver(String eventId) {
        WebhookRequest request = TestDeliveries.signedStripe(Clock.systemUTC(), eventId, "invoice.paid");
        return (async != null ? async.handle("stripe", request) : sync.handle("stripe", request)).httpStatus();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        pool.close();
    }

    /**
     * Runs a replica that delivers events {@code evt_0 … evt_<n-1>} to itself from 8 threads, then idles until
     * it is killed.
     *
     * @param args JDBC URL, user, password, {@code async|sync}, event count, lease ms, handler ms
     * @throws InterruptedException never in practice: the test kills the process
     */
    public static void main(String[] args) throws InterruptedException {
        CrashReplica replica = new CrashReplica("doomed", args[0], args[1], args[2], "async".equals(args[3]),
                Duration.ofMillis(Long.parseLong(args[5])), Duration.ofMillis(Long.parseLong(args[6])));
        int events = Integer.parseInt(args[4]);
        ExecutorService deliveries = Executors.newFixedThreadPool(8);
        for (int i = 0; i < events; i++) {
            String id = "evt_" + i;
            deliveries.submit(() -> replica.deliver(id));
        }
        System.out.println("delivering");
        deliveries.shutdown();
        deliveries.awaitTermination(10, TimeUnit.MINUTES);
        Thread.sleep(Long.MAX_VALUE);
    }
}
