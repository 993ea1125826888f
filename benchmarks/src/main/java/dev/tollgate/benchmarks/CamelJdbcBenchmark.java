package dev.tollgate.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
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
 * {@code camel_jdbc}: Apache Camel's {@link JdbcMessageIdRepository} (camel-sql) on its table
 * {@code CAMEL_MESSAGEPROCESSED} created beforehand with the primary key {@code (processorName, messageId)} —
 * the key its lookup uses, which Camel's documentation has users add (the repository's own {@code CREATE TABLE}
 * has none, so that concurrent {@code add}s of one id could both succeed) — and its default Spring transaction
 * template: {@code add(id)} then {@code confirm(id)} of a new random id, operations per second, with the
 * same threads, pool size, server and duration as {@link ClaimThroughputBenchmark}. This is what a user of
 * Camel's Idempotent Consumer EIP would run instead of Tollgate's store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Threads(ClaimThroughputBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class CamelJdbcBenchmark {

    /** The processor name, Camel's per-route key. */
    public static final String PROCESSOR = "tollgate-benchmark";

    private @Nullable HikariDataSource pool;
    private @Nullable JdbcMessageIdRepository repository;

    /**
     * Opens the pool and creates Camel's table afresh with its primary key (the repository finds it and creates
     * nothing).
     *
     * @throws SQLException if the table cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        pool = BenchmarkDatabase.pool("camel-jdbc", ClaimThroughputBenchmark.THREADS);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS camel_messageprocessed");
            s.execute("CREATE TABLE camel_messageprocessed (processorName varchar(255) NOT NULL,"
                    + " messageId varchar(100) NOT NULL, createdAt timestamp, PRIMARY KEY (processorName, messageId))");
        }
        EventsTable.checkpoint(pool);
        repository = new JdbcMessageIdRepository(pool, PROCESSOR);
        repository.start();
    }

    /** Stops the repository and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (repository != null) {
            repository.stop();
        }
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * camel_jdbc.
     *
     * @return whether the id was new (always, ids are fresh)
     */
    @Benchmark
    public boolean addConfirm() {
        String id = EventIds.random();
        boolean added = repository.add(id);
        repository.confirm(id);
        return added;
    }
}
