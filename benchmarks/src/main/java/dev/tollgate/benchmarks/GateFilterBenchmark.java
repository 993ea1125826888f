package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.servlet.BillingGateFilter;
import dev.tollgate.servlet.TenantResolver;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code gate_filter_none}, {@code gate_filter_cached} and {@code gate_filter_miss}: the billing gate where users
 * feel it — a write request ({@code POST /api/items}, empty body, answered 201 with a small JSON body) to a servlet on
 * an embedded Jetty 12, over HTTP/1.1 keep-alive on loopback, {@value #THREADS} client threads each with its own
 * connection, requests per second. {@link #gate}:
 * <ul>
 *   <li>{@code none}: the servlet alone;</li>
 *   <li>{@code cached}: Tollgate's {@link BillingGateFilter} in front of it ({@code X-Tenant-Id} header resolver),
 *       over a {@link BillingGate} on a {@link PostgresBillingRepository} with the default cache: each thread asks
 *       for its own {@code active} tenant, whose state is cached after the first request;</li>
 *   <li>{@code miss}: the same filter over a gate whose cache holds one tenant, while the threads cycle through
 *       {@value #TENANTS} {@code active} tenants: each request is one indexed read of {@code billing.tenant_billing}
 *       on the benchmark's PostgreSQL (through the repository's one-round-trip read).</li>
 * </ul>
 * The client is a minimal HTTP/1.1 writer and reader on a plain socket, so that the client's own cost, which both
 * sides of each ratio share, stays small next to the server's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(GateFilterBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class GateFilterBenchmark {

    /** Client threads. */
    public static final int THREADS = 8;
    /** Active tenants in {@code billing.tenant_billing}. */
    public static final int TENANTS = 10_000;

    /** Whether and how the gate filter runs. */
    @Param({"none", "cached", "miss"})
    public String gate;

    private @Nullable Server server;
    private @Nullable HikariDataSource pool;
    private int port;
    private final AtomicInteger threadNumbers = new AtomicInteger();

    /**
     * Seeds the tenants, starts Jetty with or without the filter.
     *
     * @throws Exception if the server cannot start or the database be seeded
     */
    @Setup(Level.Trial)
    public void startServer() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ItemsServlet()), "/api/*");
        if (!gate.equals("none")) {
            pool = BenchmarkDatabase.pool("gate-filter", THREADS);
            seedTenants(pool);
            BillingGate.Builder builder = BillingGate.builder()
                    .repository(new PostgresBillingRepository(pool))
                    .clock(Clock.systemUTC());
            if (gate.equals("miss")) {
                builder.cacheMaximumSize(1).cacheTtl(Duration.ofMillis(1));
            }
            BillingGateFilter filter = BillingGateFilter.builder(builder.build())
                    .tenantResolver(TenantResolver.header("X-Tenant-Id"))
                    .build();
            context.addFilter(new FilterHolder(filter), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    private static void seedTenants(HikariDataSource pool) throws SQLException {
        SchemaMigrator.forModules("billing").migrate(pool);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO billing.tenant_billing (tenant_id, status) SELECT 'bench-tenant-' || g, 'active'"
                    + " FROM generate_series(1, " + TENANTS + ") g ON CONFLICT (tenant_id) DO NOTHING");
            s.execute("ANALYZE billing.tenant_billing");
        }
    }

    /**
     * Stops Jetty and closes the pool.
     *
     * @throws Exception if Jetty cannot stop
     */
    @TearDown(Level.Trial)
    public void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (pool != null) {
            pool.close();
        }
    }

    /** One client thread's keep-alive connection and its tenants. */
    @State(Scope.Thread)
    public static class Client {

        private @Nullable Socket socket;
        private @Nullable OutputStream out;
        private @Nullable InputStream in;
        private final byte[] buffer = new byte[8192];
        private byte[][] requests = new byte[0][];
        private int next;

        /**
         * Connects and checks that a request passes (201).
         *
         * @param benchmark the server
         * @throws IOException if the server cannot be reached or answers otherwise
         */
        @Setup(Level.Trial)
        public void connect(GateFilterBenchmark benchmark) throws IOException {
            socket = new Socket("127.0.0.1", benchmark.port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
            int thread = benchmark.threadNumbers.incrementAndGet();
            // cached: this thread's one tenant; miss: a stride through all of them, so the cache never holds the next
            int count = benchmark.gate.equals("miss") ? TENANTS / THREADS : 1;
            requests = new byte[count][];
            for (int i = 0; i < count; i++) {
                int tenant = 1 + (thread - 1 + i * THREADS) % TENANTS;
                requests[i] = ("POST /api/items HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Tenant-Id: bench-tenant-" + tenant
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            }
            int status = send();
            if (status != 201) {
                throw new IllegalStateException("expected 201 from the servlet, but got " + status
                        + ": the benchmark would not measure the path it names");
            }
        }

        /**
         * Closes the connection.
         *
         * @throws IOException if closing fails
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
        }

        /** Sends the next request and reads the whole response; returns the status code. */
        int send() throws IOException {
            byte[] request = requests[next];
            next = next + 1 == requests.length ? 0 : next + 1;
            out.write(request);
            out.flush();
            int length = 0;
            int headerEnd = -1;
            while (headerEnd < 0) {
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    throw new IOException("the server closed the connection");
                }
                length += read;
                headerEnd = indexOfBlankLine(buffer, length);
            }
            String head = new String(buffer, 0, headerEnd, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(head.substring(9, 12));
            int contentLength = contentLength(head);
            int body = length - (headerEnd + 4);
            while (body < contentLength) {
                int read = in.read(buffer, 0, Math.min(buffer.length, contentLength - body));
                if (read < 0) {
                    throw new IOException("the server closed the connection");
                }
                body += read;
            }
            return status;
        }

        private static int indexOfBlankLine(byte[] bytes, int length) {
            for (int i = 0; i + 3 < length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private static int contentLength(String head) {
            int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
            if (at < 0) {
                throw new IllegalStateException("the benchmark's servlet always sets Content-Length: " + head);
            }
            int end = head.indexOf('\r', at);
            return Integer.parseInt(head.substring(at + 15, end < 0 ? head.length() : end).trim());
        }
    }

    /**
     * gate_filter_none / gate_filter_cached / gate_filter_miss.
     *
     * @param client this thread's connection
     * @return the status code (201)
     * @throws IOException if the connection fails
     */
    @Benchmark
    public int request(Client client) throws IOException {
        return client.send();
    }

    /** The application's write endpoint: 201 and a small JSON body with its length. */
    static final class ItemsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] BODY = "{\"id\":\"item_1\",\"ok\":true}".getBytes(StandardCharsets.UTF_8);

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setStatus(201);
            response.setContentType("application/json");
            response.setContentLength(BODY.length);
            response.getOutputStream().write(BODY);
        }
    }
}
