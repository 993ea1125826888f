package dev.tollgate.migrations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MigrationTool#LIQUIBASE}: each module's {@code db/tollgate/<module>/changelog.xml} (one change set per
 * SQL file, its id the file name), in the plan's order, recorded in Tollgate's own {@code tollgate.liquibase_changelog}
 * so the application's changelog table holds only its own rows. Runs on the caller's connection, which holds
 * Tollgate's advisory lock. Only this class refers to Liquibase's types.
 */
final class LiquibaseRunner {

    /** The changelog table, in schema {@code tollgate}; the lock table is this name with {@code _lock} appended. */
    static final String TABLE = "liquibase_changelog";

    private static final String QUALIFIED = SchemaMigrator.HISTORY_SCHEMA + "." + TABLE;
    private static final Logger LOG = LoggerFactory.getLogger(LiquibaseRunner.class);
    private static final Pattern CHANGED = Pattern.compile("::([^:\\s]+)::tollgate was: ");

    private LiquibaseRunner() {
    }

    static List<AppliedMigration> migrate(Connection connection, Map<String, TreeMap<Integer, MigrationFile>> plan,
                                          ClassLoader classLoader) {
        Map<String, Object> scope = new HashMap<>();
        scope.put(Scope.Attr.ui.name(), new LoggerUIService()); // no summary tables on standard output
        scope.put(AnalyticsArgs.ENABLED.getKey(), Boolean.FALSE); // and nothing sent anywhere
        try {
            return Scope.child(scope, () -> run(connection, plan, classLoader));
        } catch (MigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("Liquibase could not migrate Tollgate's schemas (" + QUALIFIED + "): "
                    + e.getMessage(), e);
        }
    }

    private static List<AppliedMigration> run(Connection connection, Map<String, TreeMap<Integer, MigrationFile>> plan,
                                              ClassLoader classLoader) throws LiquibaseException, SQLException {
        Database database = DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SchemaMigrator.HISTORY_SCHEMA);
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        database.setLiquibaseSchemaName(SchemaMigrator.HISTORY_SCHEMA);
        database.setDatabaseChangeLogTableName(TABLE);
        database.setDatabaseChangeLogLockTableName(TABLE + "_lock");
        ClassLoaderResourceAccessor resources = new ClassLoaderResourceAccessor(classLoader);
        List<AppliedMigration> applied = new ArrayList<>();
        // The Liquibase objects are not closed: closing them would close the caller's connection.
        for (Map.Entry<String, TreeMap<Integer, MigrationFile>> module : plan.entrySet()) {
            String changelog = SchemaMigrator.ROOT + "/" + module.getKey() + "/changelog.xml";
            if (classLoader.getResource(changelog) == null) {
                throw new MigrationException("no Liquibase changelog " + changelog + " on the class path for the "
                        + module.getKey() + " migrations: is the tollgate-" + module.getKey() + " jar from the same"
                        + " release as tollgate-core?", null);
            }
            TreeMap<Integer, MigrationFile> files = module.getValue();
            List<ChangeSet> pending;
            try {
                Liquibase liquibase = new Liquibase(changelog, resources, database);
                takeOverFromSchemaMigrator(connection, liquibase, module.getKey(), files);
                pending = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression());
                liquibase.update(new Contexts(), new LabelExpression());
            } catch (LiquibaseException | RuntimeException e) {
                if (e instanceof MigrationException own) {
                    throw own;
                }
                throw explain(files, e);
            }
            for (ChangeSet changeSet : pending) {
                MigrationFile file = named(files, changeSet.getId());
                if (file != null) {
                    applied.add(file.asApplied());
                    LOG.info("tollgate.migration.applied module={} version={} description=\"{}\" tool=liquibase",
                            file.module(), file.version(), file.description());
                }
            }
        }
        return applied;
    }

    /**
     * Marks as ran, in order, the change sets of files that {@link SchemaMigrator} already applied (checked
     * unchanged), so that a database migrated before the application brought Liquibase applies nothing twice.
     */
    private static void takeOverFromSchemaMigrator(Connection connection, Liquibase liquibase, String module,
                                                   TreeMap<Integer, MigrationFile> files)
            throws LiquibaseException, SQLException {
        Map<Integer, String> recorded = SchemaMigrator.recordedItself(connection, module);
        while (!recorded.isEmpty()) {
            List<ChangeSet> pending = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression());
            MigrationFile next = pending.isEmpty() ? null : named(files, pending.get(0).getId());
            if (next == null || !recorded.containsKey(next.version())) {
                return;
            }
            if (!recorded.get(next.version()).equals(next.checksum())) {
                throw next.changedAfterApplied("tollgate.schema_history", files.lastKey() + 1);
            }
            liquibase.markNextChangeSetRan(new Contexts(), new LabelExpression());
            LOG.info("tollgate.migration.baseline module={} version={} tool=liquibase from=tollgate.schema_history",
                    module, next.version());
        }
    }

    /**
     * Turns Liquibase's checksum failure into one message that names the file and the fix. The update command
     * reports it as "{@code <changelog>::<id>::<author> was: … but is now: …}", wrapped in its own exception type
     * depending on the Liquibase version, so the change set is read from the messages.
     */
    private static MigrationException explain(TreeMap<Integer, MigrationFile> files, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            Matcher changed = CHANGED.matcher(String.valueOf(cause.getMessage()));
            while (changed.find()) {
                MigrationFile file = named(files, changed.group(1));
                if (file != null) {
                    return file.changedAfterApplied(QUALIFIED, files.lastKey() + 1);
                }
            }
        }
        return new MigrationException("Liquibase refused Tollgate's migrations (" + QUALIFIED + "): " + e.getMessage(), e);
    }

    private static @Nullable MigrationFile named(TreeMap<Integer, MigrationFile> files, @Nullable String id) {
        for (MigrationFile file : files.values()) {
            if (file.fileName().equals(id)) {
                return file;
            }
        }
        return null;
    }
}
