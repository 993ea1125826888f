package dev.tollgate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the migrator against a real (embedded) PostgreSQL. */
class SchemaMigratorTest {

    private DataSource dataSource;

    @BeforeEach
    void freshDatabase() throws IOException, SQLException {
        dataSource = CoreTestDatabases.fresh();
    }

    @Test
    void appliesFilesInVersionOrderOnceAndRecordsThem() throws SQLException {
        List<AppliedMigration> first = SchemaMigrator.forModules("alpha").migrate(dataSource);
        assertEquals(List.of(1, 2), first.stream().map(AppliedMigration::version).toList());
        assertEquals("create things", first.get(0).description());

        assertEquals(List.of(), SchemaMigrator.forModules("alpha").migrate(dataSource), "second run is a no-op");
        assertEquals(2L, queryLong("SELECT count(*) FROM tollgate.schema_history WHERE module = 'alpha'"));
        assertEquals(0L, queryLong("SELECT alpha.count_things()"), "dollar-quoted bodies survive");
    }

    @Test
    void failedFileIsRolledBackWhole() throws SQLException {
        MigrationException e = assertThrows(MigrationException.class,
                () -> SchemaMigrator.forModules("beta").migrate(dataSource));
        assertTrue(e.getMessage().contains("db/tollgate/beta/V1__broken.sql"), e.getMessage());
        assertEquals(0L, queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'beta'"),
                "nothing of the failed file is left");
        assertEquals(0L, queryLong("SELECT count(*) FROM tollgate.schema_history"));
    }

    @Test
    void changedChecksumIsRefused() throws SQLException {
        SchemaMigrator.forModules("alpha").migrate(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE tollgate.schema_history SET checksum = 'deadbeef' WHERE version = 2");
        }
        MigrationException e = assertThrows(MigrationException.class,
                () -> SchemaMigrator.forModules("alpha").migrate(dataSource));
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
        assertTrue(e.getMessage().contains("V3__"), "tells what to do instead: " + e.getMessage());
    }

    @Test
    void unknownModuleSaysWhichJarIsMissing() {
        MigrationException e = assertThrows(MigrationException.class,
                () -> SchemaMigrator.forModules("nosuchmodule").migrate(dataSource));
        assertTrue(e.getMessage().contains("tollgate-nosuchmodule"), e.getMessage());
    }

    @Test
    void badModuleNamesAreAllReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchemaMigrator.forModules("Bad-Name", "../etc"));
        assertTrue(e.getMessage().contains("Bad-Name") && e.getMessage().contains("../etc"), e.getMessage());
    }

    @Test
    void discoversModulesOnTheClassPath() {
        List<String> paths = SchemaMigrator.forAllModules().migrations();
        assertTrue(paths.contains("db/tollgate/alpha/V1__create_things.sql"), paths.toString());
        assertTrue(paths.contains("db/tollgate/beta/V1__broken.sql"), paths.toString());
        assertFalse(paths.isEmpty());
    }

    @Test
    void concurrentMigratorsTakeTurns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>(
                    Collections.nCopies(4, () -> SchemaMigrator.forModules("alpha").migrate(dataSource).size()));
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                total += f.get();
            }
            assertEquals(2, total, "each file applied exactly once across racing migrators");
        } finally {
            pool.shutdownNow();
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
