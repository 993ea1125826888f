package dev.tollgate.testkit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer in transaction mode in front of a test database: the topology of most hosted PostgreSQL
 * offerings, where every transaction may run on another server connection, session state does not survive
 * a transaction, {@code LISTEN} delivers nothing, and named prepared statements break.
 *
 * <pre>{@code
 * try (TestDatabase db = TestPostgres.shared().createDatabase().migrate();   // migrate on the direct URL
 *      TestPgBouncer bouncer = TestPgBouncer.transactionMode(db)) {
 *     DataSource pooled = bouncer.newPool(10);                              // the application's URL
 *     …
 * }
 * }</pre>
 *
 * <p>Runs Debian's {@code pgbouncer} ({@code apt-get install pgbouncer}; {@code .ci/run} installs it), or the
 * binary named by {@value #BINARY_ENV}, listening on a free loopback port; as root it drops to {@code nobody},
 * as PgBouncer refuses to run as root. Connections carry {@code prepareThreshold=0}, which a transaction-mode
 * pooler before PgBouncer 1.21 needs (the README says so for applications too).
 */
public final class TestPgBouncer implements AutoCloseable {

    /** Environment variable naming the pgbouncer binary, when it is not in a usual place. */
    public static final String BINARY_ENV = "TOLLGATE_TEST_PGBOUNCER";

    private final TestDatabase database;
    private final Path dir;
    private final Process process;
    private final int port;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private TestPgBouncer(TestDatabase database, Path dir, Process process, int port) {
        this.database = database;
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts PgBouncer in transaction mode in front of one test database.
     *
     * @param database the database, on the embedded or an external server
     * @return the running PgBouncer
     * @throws IllegalStateException if pgbouncer is not installed or does not start
     */
    public static TestPgBouncer transactionMode(TestDatabase database) {
        Objects.requireNonNull(database, "database");
        Path binary = binary();
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try {
            Path dir = Files.createTempDirectory("tollgate-pgbouncer-");
            int port = freePort();
            Files.writeString(dir.resolve("users.txt"), "\"" + database.user() + "\" \"\"\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    database.name() + " = host=" + server.getHost() + " port=" + server.getPort()
                            + " dbname=" + database.name() + " user=" + database.user()
                            + (database.password().isEmpty() ? "" : " password=" + database.password()),
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("users.txt"),
                    "pool_mode = transaction",
                    "max_client_conn = 1000",
                    "default_pool_size = 20",
                    "ignore_startup_parameters = extra_float_digits,options",
                    "server_reset_query =",
                    ""), StandardCharsets.UTF_8);
            // as root PgBouncer runs as nobody (-u): it must read its folder
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String file : List.of("users.txt", "pgbouncer.ini")) {
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                command.addAll(List.of("-u", "nobody"));
            }
            command.add(dir.resolve("pgbouncer.ini").toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pgbouncer.log").toFile()).start();
            TestPgBouncer bouncer = new TestPgBouncer(database, dir, process, port);
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start pgbouncer", e);
        }
    }

    /** @return the JDBC URL of the database through PgBouncer */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database.name() + "?prepareThreshold=0";
    }

    /** @return the port PgBouncer listens on, on 127.0.0.1 */
    public int port() {
        return port;
    }

    /**
     * A new connection pool through PgBouncer, closed with it.
     *
     * @param maximumPoolSize the pool's size
     * @return the pool
     */
    public synchronized HikariDataSource newPool(int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(maximumPoolSize);
        config.setPoolName("pgbouncer-" + database.name() + "-" + pools.size());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** @return what PgBouncer logged so far, for a failing test's message */
    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Closes the pools and stops PgBouncer. */
    @Override
    public synchronized void close() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }

    @Override
    public String toString() {
        return "TestPgBouncer[transaction mode, 127.0.0.1:" + port + " → " + database.name() + "]";
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new IllegalStateException("pgbouncer did not listen on 127.0.0.1:" + port + " within 15 s: " + log());
    }

    private static Path binary() {
        String configured = System.getenv(BINARY_ENV);
        List<Path> candidates = configured != null && !configured.isBlank() ? List.of(Path.of(configured))
                : List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"),
                        Path.of("/usr/local/bin/pgbouncer"), Path.of("/opt/homebrew/bin/pgbouncer"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("pgbouncer is not installed (looked at " + candidates + "): install it"
                + " (Debian/Ubuntu: apt-get install pgbouncer; macOS: brew install pgbouncer) or name the binary in "
                + BINARY_ENV + "; .ci/run installs it");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
