package dev.tollgate.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server for tests, on which fresh databases are created.
 *
 * <pre>{@code
 * try (TestDatabase db = TestPostgres.shared().createDatabase()) {
 *     db.migrate();
 *     DataSource ds = db.dataSource();
 *     …
 * }
 * }</pre>
 *
 * <p>{@link #shared()} picks, in this order: the server named by {@code TOLLGATE_TEST_JDBC_URL} (user
 * and password in the URL, or in {@code TOLLGATE_TEST_JDBC_USER} / {@code TOLLGATE_TEST_JDBC_PASSWORD};
 * the user needs the {@code CREATEDB} privilege); a {@code postgres:15-alpine} container when
 * {@code org.testcontainers:testcontainers-postgresql} is on the class path and a Docker engine answers
 * (set {@code TOLLGATE_TEST_POSTGRES=embedded} to skip that check); else an embedded PostgreSQL 15
 * started once per JVM and stopped when the JVM exits. {@link #startEmbedded()} starts a dedicated embedded server that a
 * test may {@linkplain #stop() stop} and {@linkplain #start() start} again, to see what happens while
 * the database is down.
 */
public final class TestPostgres implements AutoCloseable {

    /** Environment variable naming an external test server. */
    public static final String JDBC_URL_ENV = "TOLLGATE_TEST_JDBC_URL";

    /** Environment variable that, set to {@code embedded}, skips the Docker check. */
    public static final String MODE_ENV = "TOLLGATE_TEST_POSTGRES";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String RUN_ID = Long.toString(ProcessHandle.current().pid(), 36);
    private static @Nullable TestPostgres shared;

    private final @Nullable Path dataDirectory; // null for an external server
    private final String adminUrl;
    private final String user;
    private final String password;
    private final int port;
    private @Nullable EmbeddedPostgres embedded;

    private TestPostgres(@Nullable Path dataDirectory, @Nullable EmbeddedPostgres embedded, String adminUrl,
                         String user, String password, int port) {
        this.dataDirectory = dataDirectory;
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.port = port;
    }

    /**
     * The server shared by every test of this JVM: the one named by {@code TOLLGATE_TEST_JDBC_URL},
     * else a Docker container when Testcontainers and Docker are there, else an embedded PostgreSQL 15;
     * started on first use.
     *
     * @return the shared server
     */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            String url = System.getenv(JDBC_URL_ENV);
            if (url != null && !url.isBlank()) {
                shared = external(url, System.getenv("TOLLGATE_TEST_JDBC_USER"),
                        System.getenv("TOLLGATE_TEST_JDBC_PASSWORD"));
            } else if (!"embedded".equals(System.getenv(MODE_ENV)) && DockerPostgres.isUsable()) {
                String[] container = DockerPostgres.start();
                shared = external(container[0], container[1], container[2]);
            } else {
                shared = startEmbedded();
            }
            TestPostgres server = shared;
            if (server.embedded != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tollgate-test-postgres-stop"));
            }
        }
        return shared;
    }

    /**
     * Starts a dedicated embedded PostgreSQL 15 (data in a temporary folder, a free port). Close it when
     * done.
     *
     * @return the running server
     */
    public static TestPostgres startEmbedded() {
        try {
            Path dir = Files.createTempDirectory("tollgate-pg-");
            // Never let zonky clean the folder: it would delete the data on stop(), and start() could not resume.
            EmbeddedPostgres pg = embeddedBuilder(dir, 0).start();
            return new TestPostgres(dir, pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                    pg.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    private static TestPostgres external(String url, @Nullable String user, @Nullable String password) {
        return new TestPostgres(null, null, url, user == null ? "" : user, password == null ? "" : password, -1);
    }

    private static EmbeddedPostgres.Builder embeddedBuilder(Path dir, int port) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off");
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    /**
     * Creates a new, empty database on this server, named {@code tollgate_test_<n>}.
     *
     * @return the database; close it to release its connection pools
     */
    public TestDatabase createDatabase() {
        String name = "tollgate_test_" + RUN_ID + "_" + DATABASES.incrementAndGet();
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + " on " + describe()
                    + ": " + e.getMessage(), e);
        }
        return new TestDatabase(this, name, databaseUrl(name), user, password);
    }

    /** Drops a database created by {@link #createDatabase()}, ending its sessions. */
    void dropDatabase(String name) {
        try (Connection c = adminConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // The server may be stopped by the test; a leftover database in a test server is harmless.
        }
    }

    /**
     * Stops the server (a dedicated embedded one only); its data stays, so {@link #start()} brings it
     * back on the same port with the same databases.
     *
     * @throws IllegalStateException for the shared server or an external one
     */
    public synchronized void stop() {
        requireDedicated("stop");
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            }
            embedded = null;
        }
    }

    /**
     * Starts a {@linkplain #stop() stopped} dedicated server again, on the same port with the same data.
     *
     * @throws IllegalStateException for the shared server or an external one
     */
    public synchronized void start() {
        requireDedicated("start");
        if (embedded == null) {
            try {
                embedded = embeddedBuilder(Objects.requireNonNull(dataDirectory), port).start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not restart the embedded PostgreSQL on port " + port, e);
            }
        }
    }

    /**
     * Freezes a dedicated server as a hung host does: every PostgreSQL process stops ({@code SIGSTOP}), sockets
     * stay open, connects are queued, nothing answers, nothing fails. {@link #thaw()} lets it go on where it was.
     * Unlike {@link #stop()}, this is the fault that a missing timeout turns into hung threads.
     *
     * @throws IllegalStateException for the shared server or an external one, or if it is not running
     */
    public synchronized void freeze() {
        signalAll("STOP");
    }

    /**
     * Lets a {@linkplain #freeze() frozen} server go on ({@code SIGCONT}).
     *
     * @throws IllegalStateException for the shared server or an external one, or if it is not running
     */
    public synchronized void thaw() {
        signalAll("CONT");
    }

    private void signalAll(String signal) {
        requireDedicated(signal.equals("STOP") ? "freeze" : "thaw");
        if (embedded == null) {
            throw new IllegalStateException("the server is stopped; start() it first");
        }
        try {
            long postmaster = Long.parseLong(Files.readAllLines(
                    Objects.requireNonNull(dataDirectory).resolve("postmaster.pid")).get(0).trim());
            ProcessHandle server = ProcessHandle.of(postmaster)
                    .orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster));
            // the server first: that must work. Its backends are listed only after it stopped, so that none it
            // forks meanwhile (a pool opening a connection) escapes; a backend may end between listing and signalling
            kill(signal, List.of(Long.toString(postmaster)), true);
            List<String> children = server.descendants().map(p -> Long.toString(p.pid())).toList();
            if (!children.isEmpty()) {
                kill(signal, children, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not signal the embedded PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the embedded PostgreSQL", e);
        }
    }

    private static void kill(String signal, List<String> pids, boolean required)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(pids);
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0 && required) {
            throw new IllegalStateException("kill -" + signal + " failed: " + output);
        }
    }

    /** @return whether the server is running (always true for an external server) */
    public synchronized boolean isRunning() {
        return dataDirectory == null || embedded != null;
    }

    private void requireDedicated(String what) {
        if (dataDirectory == null || this == shared) {
            throw new IllegalStateException("only a dedicated embedded server (TestPostgres.startEmbedded()) can "
                    + what + "; the shared one serves every test of this JVM");
        }
    }

    /** Stops an embedded server and deletes its data; does nothing for an external server. */
    @Override
    public synchronized void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                // nothing more to do at shutdown
            }
            embedded = null;
        }
        if (dataDirectory != null) {
            deleteTree(dataDirectory);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }

    Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    private String databaseUrl(String database) {
        // Replace the database part of jdbc:postgresql://host:port/db?params
        int scheme = adminUrl.indexOf("//");
        int slash = adminUrl.indexOf('/', scheme + 2);
        int query = adminUrl.indexOf('?', slash < 0 ? 0 : slash);
        String base = slash < 0 ? adminUrl : adminUrl.substring(0, slash);
        String params = query < 0 ? "" : adminUrl.substring(query);
        return base + "/" + database + params;
    }

    private String describe() {
        return dataDirectory != null ? "the embedded PostgreSQL on port " + port
                : "the server of " + JDBC_URL_ENV + " (check the URL and that the user may CREATE DATABASE)";
    }

    @Override
    public String toString() {
        return dataDirectory != null ? "TestPostgres[embedded, port " + port + "]"
                : "TestPostgres[external " + adminUrl.replaceAll("(?i)password=[^&]*", "password=****")
                        .toLowerCase(Locale.ROOT) + "]";
    }
}
