package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The control experiment of the claim figures: no Tollgate code at all, only JDBC through the same HikariCP
 * pool, {@value ClaimThroughputBenchmark#THREADS} threads, to {@code webhooks.events} on the same server —
 * pgbench's statement (one {@code INSERT … ON CONFLICT DO NOTHING} of a processed event with a 2 KB payload)
 * sent from Java:
 * <ul>
 *   <li>{@code jdbc_insert_autocommit}: the statement alone, in auto-commit: one round trip, as pgbench;
 *   <li>{@code jdbc_insert_in_transaction}: {@code setAutoCommit(false)}, the statement, {@code commit()}: two
 *       round trips, the least any claim-then-handle transaction can take (the claim's answer must come back
 *       before the handler runs, and the commit after it).
 * </ul>
 * The two tell how much of {@code pg_claim_complete ÷ pgbench} is the JVM and JDBC, and how much is the second
 * round trip that a transactional handler needs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(ClaimThroughputBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class JdbcFloorBenchmark {

    private static final String INSERT = "INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts,"
            + " next_attempt_at, received_at, processed_at, payload)"
            + " VALUES ('stripe', ?, 'customer.subscription.updated', 'processed', 1, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    private static final byte[] PAYLOAD = StripeEventFixture.subscriptionUpdated("evt_jdbc_floor")
            .getBytes(StandardCharsets.UTF_8);

    private @Nullable HikariDataSource pool;

    /** Opens the pool and empties {@code webhooks.events}. */
    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool("jdbc-floor", ClaimThroughputBenchmark.THREADS);
        EventsTable.reset(pool);
    }

    /** Closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * jdbc_insert_autocommit.
     *
     * @return rows inserted (1: ids are fresh)
     * @throws SQLException if the insert fails
     */
    @Benchmark
    public int insertAutocommit() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return insert(c);
        }
    }

    /**
     * jdbc_insert_in_transaction.
     *
     * @return rows inserted (1: ids are fresh)
     * @throws SQLException if the insert or the commit fails
     */
    @Benchmark
    public int insertInTransaction() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                int inserted = insert(c);
                c.commit();
                return inserted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static int insert(Connection c) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setString(1, EventIds.random());
            s.setObject(2, now);
            s.setObject(3, now);
            s.setObject(4, now);
            s.setBytes(5, PAYLOAD);
            return s.executeUpdate();
        }
    }
}
