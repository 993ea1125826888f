package dev.tollgate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * {@link MigrationTool#FLYWAY}: one Flyway per module, in the plan's order, each recording into its own table
 * {@code tollgate.flyway_<module>_history}. Every module numbers its files from {@code V1}, so they cannot share
 * a history; the application's history table is never touched, and nothing is created in the application's
 * schema ({@code public}), whose Flyway would otherwise refuse a "non-empty schema without history". Only this
 * class refers to Flyway's types, so Tollgate runs without Flyway when another tool is chosen.
 */
final class FlywayRunner {

    private static final Logger LOG = LoggerFactory.getLogger(FlywayRunner.class);

    private FlywayRunner() {
    }

    /** @return the history table of a module's Flyway, in {@link SchemaMigrator#HISTORY_SCHEMA} */
    static String table(String module) {
        return "flyway_" + module + "_history";
    }

    static List<AppliedMigration> migrate(DataSource dataSource, Map<String, TreeMap<Integer, MigrationFile>> plan,
                                          ClassLoader classLoader) {
        List<AppliedMigration> applied = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, MigrationFile>> module : plan.entrySet()) {
            String table = SchemaMigrator.HISTORY_SCHEMA + "." + table(module.getKey());
            TreeMap<Integer, MigrationFile> files = module.getValue();
            FluentConfiguration config = Flyway.configure(classLoader)
                    .dataSource(dataSource)
                    .locations("classpath:" + SchemaMigrator.ROOT + "/" + module.getKey())
                    .schemas(SchemaMigrator.HISTORY_SCHEMA)
                    .table(table(module.getKey()))
                    .failOnMissingLocations(true)
                    .callbacks(new QuietNotices())
                    // From the second module on the schema is not empty (the first history table is there):
                    // the history starts below V1 so that every file still runs.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .baselineDescription("<< Tollgate " + module.getKey() + " >>");
            takeOverFromSchemaMigrator(dataSource, config, module.getKey(), files);
            try {
                MigrateResult result = config.load().migrate();
                for (MigrateOutput output : result.migrations) {
                    MigrationFile file = versioned(files, output.version);
                    if (file != null) {
                        applied.add(file.asApplied());
                        LOG.info("tollgate.migration.applied module={} version={} description=\"{}\" tool=flyway",
                                file.module(), file.version(), file.description());
                    }
                }
            } catch (FlywayValidateException e) {
                throw explain(config, files, table, e);
            } catch (FlywayException e) {
                String hint = String.valueOf(e.getMessage()).contains("Unsupported Database")
                        ? " (add org.flywaydb:flyway-database-postgresql beside flyway-core)" : "";
                throw new MigrationException("Flyway could not migrate Tollgate's " + module.getKey() + " schema ("
                        + table + "): " + e.getMessage() + hint, e);
            }
        }
        return applied;
    }

    /**
     * A module that {@link SchemaMigrator} applied before the application brought Flyway starts Flyway's history
     * at the version it reached, once its files are checked unchanged, so that nothing runs twice.
     */
    private static void takeOverFromSchemaMigrator(DataSource dataSource, FluentConfiguration config, String module,
                                                   TreeMap<Integer, MigrationFile> files) {
        int reached;
        try (Connection connection = dataSource.getConnection()) {
            if (historyExists(connection, SchemaMigrator.HISTORY_SCHEMA + "." + config.getTable())) {
                return;
            }
            Map<Integer, String> recorded = SchemaMigrator.recordedItself(connection, module);
            if (recorded.isEmpty()) {
                return;
            }
            for (Map.Entry<Integer, String> row : recorded.entrySet()) {
                MigrationFile file = files.get(row.getKey());
                if (file != null && !file.checksum().equals(row.getValue())) {
                    throw file.changedAfterApplied("tollgate.schema_history", files.lastKey() + 1);
                }
            }
            reached = recorded.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        } catch (SQLException e) {
            throw new MigrationException("could not read the migration history of " + module + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(config.getClassLoader()).configuration(config)
                    .baselineVersion(Integer.toString(reached))
                    .baselineDescription("<< Tollgate " + module + ": V1-V" + reached + " by SchemaMigrator >>")
                    .load().baseline();
            LOG.info("tollgate.migration.baseline module={} version={} tool=flyway from=tollgate.schema_history",
                    module, reached);
        } catch (FlywayException e) {
            // another replica took it over at the same moment: its baseline is the same one
            LOG.info("tollgate.migration.baseline module={} skipped=\"{}\"", module, e.getMessage());
        }
    }

    private static boolean historyExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Turns Flyway's validation failure into one message that names the files and the fix. */
    private static MigrationException explain(FluentConfiguration config, TreeMap<Integer, MigrationFile> files,
                                              String table, FlywayValidateException e) {
        List<String> problems = new ArrayList<>();
        try {
            ValidateResult result = Flyway.configure(config.getClassLoader()).configuration(config)
                    .ignoreMigrationPatterns("*:pending", "*:future").load().validateWithResult();
            for (ValidateOutput invalid : result.invalidMigrations) {
                MigrationFile file = versioned(files, invalid.version);
                String message = invalid.errorDetails == null ? "" : invalid.errorDetails.errorMessage;
                if (file != null && message != null && message.toLowerCase(Locale.ROOT).contains("checksum")) {
                    return file.changedAfterApplied(table, files.lastKey() + 1);
                }
                problems.add((file != null ? file.path() : "version " + invalid.version) + ": " + message);
            }
        } catch (FlywayException again) {
            e.addSuppressed(again);
        }
        return new MigrationException("Flyway refused Tollgate's migrations (" + table + "): "
                + (problems.isEmpty() ? e.getMessage() : String.join("; ", problems)), e);
    }

    /**
     * PostgreSQL's notices ("schema tollgate already exists, skipping", from an {@code IF NOT EXISTS}) would reach
     * the application's log as Flyway WARN lines on every fresh start. Each migration's transaction asks for
     * warnings only, with {@code SET LOCAL}, so the pooled connection goes back to the pool as it came.
     */
    private static final class QuietNotices implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            try (Statement statement = context.getConnection().createStatement()) {
                statement.execute("SET LOCAL client_min_messages = warning");
            } catch (SQLException e) {
                throw new FlywayException("could not quieten PostgreSQL notices: " + e.getMessage(), e);
            }
        }

        @Override
        public String getCallbackName() {
            return "tollgate-quiet-notices";
        }
    }

    private static @Nullable MigrationFile versioned(TreeMap<Integer, MigrationFile> files, @Nullable String version) {
        if (version == null || version.isEmpty()) {
            return null;
        }
        try {
            return files.get(Integer.parseInt(version));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
