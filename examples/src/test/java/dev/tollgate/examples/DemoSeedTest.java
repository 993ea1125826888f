package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.Secret;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Two replicas starting at once on one database migrate and seed it once, and a restart seeds nothing. */
@TollgatePostgres
class DemoSeedTest {

    @Test
    void replicasStartingTogetherAndARestartSeedEachDocumentAndPolicyOnce(TestDatabase database) throws Exception {
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, database.jdbcUrl(), database.user(),
                Secret.of(database.password()), false, Secret.of("whsec_seed_test_0123456789abcdef"),
                Secret.of("rc_seed_test_0123456789abcdef"), false, Map.of(), Clock.systemUTC());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<DemoService> started = new ArrayList<>();
        try {
            List<Future<DemoService>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(pool.submit(() -> {
                    go.await();
                    return DemoService.start(settings, quiet);
                }));
            }
            go.countDown();
            for (Future<DemoService> start : starts) {
                started.add(start.get());
            }
            assertSeededOnce(database);
            started.forEach(DemoService::close);
            started.clear();

            started.add(DemoService.start(settings, quiet));
            assertSeededOnce(database);
        } finally {
            started.forEach(DemoService::close);
            pool.shutdownNow();
        }
    }

    private static void assertSeededOnce(TestDatabase database) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertEquals(List.of("imprint 1.0", "privacy 1.0", "terms 1.0"), strings(s,
                    "SELECT kind || ' ' || version FROM legal.documents ORDER BY kind"));
            assertEquals(List.of("1.0"), strings(s, "SELECT version FROM consent.policies"));
        }
    }

    private static List<String> strings(Statement s, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
