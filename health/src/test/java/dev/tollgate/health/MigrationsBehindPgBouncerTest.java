package dev.tollgate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.migrations.AppliedMigration;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPgBouncer;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Tollgate's own migrator through a real PgBouncer in transaction mode, where every transaction may run on
 * another server connection: racing replicas apply each file once, and no advisory lock outlives its
 * transaction (a session lock there is taken on one server connection, released on another, and stays held,
 * so the next deploy's migration would wait forever).
 */
class MigrationsBehindPgBouncerTest {

    @Test
    void racingMigratorsThroughPgBouncerApplyEachFileOnceAndLeaveNoLockHeld() throws Exception {
        try (TestDatabase database = TestPostgres.shared().createDatabase();
             TestPgBouncer bouncer = TestPgBouncer.transactionMode(database)) {
            DataSource pooled = bouncer.newPool(6);
            ExecutorService replicas = Executors.newFixedThreadPool(4);
            List<AppliedMigration> applied = new ArrayList<>();
            try {
                List<Future<List<AppliedMigration>>> runs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    runs.add(replicas.submit(() -> SchemaMigrator.forAllModules().migrate(pooled)));
                }
                for (Future<List<AppliedMigration>> run : runs) {
                    applied.addAll(run.get(2, TimeUnit.MINUTES));
                }
            } finally {
                replicas.shutdownNow();
            }
            assertEquals(SchemaMigrator.forAllModules().migrations().size(), applied.size(), "each file once");
            assertEquals(0, advisoryLocks(database.dataSource()), "no lock left on any server connection");
            assertEquals(List.of(), SchemaMigrator.forAllModules().migrate(pooled), "the next deploy does not wait");
            List<IntegrityCheck> failing = SqlIntegrityVerifier.of(database.dataSource(),
                    "tollgate.verify_final_hardening").verify().checks().stream()
                    .filter(c -> c.status() == IntegrityCheck.Status.FAIL).toList();
            assertEquals(List.of(), failing);
            assertTrue(bouncer.log().contains("login attempt: db=" + database.name()), "through PgBouncer");
        }
    }

    private static long advisoryLocks(DataSource direct) throws SQLException {
        try (Connection c = direct.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
