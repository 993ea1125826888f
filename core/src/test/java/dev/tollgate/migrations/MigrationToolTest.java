package dev.tollgate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same migration files through the application's Flyway or Liquibase, on a real (embedded) PostgreSQL:
 * applied once and recorded in Tollgate's own history, upgrades applied on the next run, an edited file refused
 * with the file and the fix named, racing replicas, and a database that SchemaMigrator migrated taken over.
 */
class MigrationToolTest {

    private DataSource dataSource;

    @TempDir
    Path classes;

    @BeforeEach
    void freshDatabase() throws IOException, SQLException {
        dataSource = CoreTestDatabases.fresh();
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void appliesEachFileOnceAndRecordsItInTollgatesOwnHistory(MigrationTool tool) throws SQLException {
        List<AppliedMigration> first = SchemaMigrator.forModules("alpha").using(tool).migrate(dataSource);
        assertEquals(List.of(1, 2), first.stream().map(AppliedMigration::version).toList());
        assertEquals("create things", first.get(0).description());
        assertEquals(List.of(), SchemaMigrator.forModules("alpha").using(tool).migrate(dataSource),
                "the second run applies nothing");

        assertEquals(0L, queryLong("SELECT alpha.count_things()"), "dollar-quoted bodies survive");
        assertEquals(List.of("V1__create_things.sql", "V2__add_column.sql"), recorded(tool));
        assertEquals(0L, queryLong("SELECT count(*) FROM pg_class WHERE relname IN ('flyway_schema_history',"
                + " 'databasechangelog', 'schema_history')"), "no default-named history table is created or touched");
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void aVersionAddedLaterAppliesOnTheNextRun(MigrationTool tool) throws IOException, SQLException {
        module("CREATE TABLE public.gamma_things (id text PRIMARY KEY);");
        assertEquals(List.of(1), versions(migrator(tool).migrate(dataSource)));

        module("CREATE TABLE public.gamma_things (id text PRIMARY KEY);",
                "ALTER TABLE public.gamma_things ADD COLUMN label text;");
        assertEquals(List.of(2), versions(migrator(tool).migrate(dataSource)), "only the new file runs");
        assertEquals(0L, queryLong("SELECT count(label) FROM public.gamma_things"));
        assertEquals(List.of(), migrator(tool).migrate(dataSource));
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void anAppliedFileThatWasEditedStopsTheRunNamingTheFileAndTheFix(MigrationTool tool) throws IOException {
        module("CREATE TABLE public.gamma_things (id text PRIMARY KEY);");
        migrator(tool).migrate(dataSource);

        module("CREATE TABLE public.gamma_things (id text PRIMARY KEY, edited boolean);");
        MigrationException e = assertThrows(MigrationException.class, () -> migrator(tool).migrate(dataSource));
        assertTrue(e.getMessage().startsWith("migration db/tollgate/gamma/V1__gamma.sql was changed after it was"
                + " applied (recorded in " + (tool == MigrationTool.FLYWAY ? "tollgate.flyway_gamma_history" : "tollgate.liquibase_changelog")),
                e.getMessage());
        assertTrue(e.getMessage().contains("never edit an applied migration") && e.getMessage().contains("V2__"),
                "says what to do instead: " + e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void racingReplicasApplyEachFileOnce(MigrationTool tool) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>(Collections.nCopies(4,
                    () -> SchemaMigrator.forModules("alpha").using(tool).migrate(dataSource).size()));
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                total += f.get();
            }
            assertEquals(2, total, "each file applied exactly once across racing migrators");
            assertEquals(List.of("V1__create_things.sql", "V2__add_column.sql"), recorded(tool));
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void aDatabaseThatSchemaMigratorMigratedIsTakenOverWithoutRunningAnythingTwice(MigrationTool tool)
            throws IOException, SQLException {
        module("CREATE TABLE public.gamma_things (id text PRIMARY KEY);");
        migrator(MigrationTool.SCHEMA_MIGRATOR).migrate(dataSource);

        module("CREATE TABLE public.gamma_things (id text PRIMARY KEY);",
                "ALTER TABLE public.gamma_things ADD COLUMN label text;");
        assertEquals(List.of(2), versions(migrator(tool).migrate(dataSource)),
                "V1 (applied by SchemaMigrator) is recorded as done, V2 runs");
        assertEquals(List.of(), migrator(tool).migrate(dataSource));
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void aToolThatIsNotOnTheClassPathIsNamedWithItsArtifact(MigrationTool tool) {
        ClassLoader withoutTools = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("org.flywaydb.") || name.startsWith("liquibase.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        MigrationException e = assertThrows(MigrationException.class, () -> SchemaMigrator.forModules("alpha")
                .withClassLoader(withoutTools).using(tool).migrate(dataSource));
        assertTrue(e.getMessage().contains(tool == MigrationTool.FLYWAY ? "org.flywaydb:flyway-core"
                : "org.liquibase:liquibase-core"), e.getMessage());
        assertTrue(e.getMessage().contains("SCHEMA_MIGRATOR"), "offers the way without: " + e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = MigrationTool.class, names = {"FLYWAY", "LIQUIBASE"})
    void aFailingFileLeavesNothingBehind(MigrationTool tool) throws SQLException {
        MigrationException e = assertThrows(MigrationException.class,
                () -> SchemaMigrator.forModules("beta").using(tool).migrate(dataSource));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
        assertEquals(0L, queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'beta'"));
        assertFalse(e.getMessage().isBlank());
    }

    private SchemaMigrator migrator(MigrationTool tool) throws IOException {
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        return SchemaMigrator.forModules("gamma").withClassLoader(loader).using(tool);
    }

    /** Writes the test module "gamma": V1.., each with the given SQL, and its Liquibase changelog. */
    private void module(String... versions) throws IOException {
        Path folder = Files.createDirectories(classes.resolve("db/tollgate/gamma"));
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < versions.length; i++) {
            files.put("V" + (i + 1) + "__gamma" + (i == 0 ? "" : "_" + (i + 1)) + ".sql", versions[i]);
        }
        StringBuilder changelog = new StringBuilder("<databaseChangeLog"
                + " xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.20.xsd\""
                + " logicalFilePath=\"db/tollgate/gamma/changelog.xml\">\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            changelog.append("<changeSet id=\"").append(file.getKey()).append("\" author=\"tollgate\"><sqlFile path=\"")
                    .append(file.getKey()).append("\" relativeToChangelogFile=\"true\" splitStatements=\"false\"/>")
                    .append("</changeSet>\n");
        }
        Files.writeString(folder.resolve("changelog.xml"), changelog.append("</databaseChangeLog>\n"));
    }

    private List<String> recorded(MigrationTool tool) throws SQLException {
        String sql = tool == MigrationTool.FLYWAY
                ? "SELECT script FROM tollgate.flyway_alpha_history WHERE success AND version <> '0' ORDER BY installed_rank"
                : "SELECT id FROM tollgate.liquibase_changelog ORDER BY orderexecuted";
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static List<Integer> versions(List<AppliedMigration> applied) {
        return applied.stream().map(AppliedMigration::version).toList();
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
