package dev.tollgate.spring.internal;

import dev.tollgate.migrations.AppliedMigration;
import dev.tollgate.migrations.MigrationException;
import dev.tollgate.migrations.MigrationTool;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.spring.TollgateProperties;
import dev.tollgate.spring.TollgateStartupException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The migrations applied at start-up: every Tollgate module's {@code db/tollgate/<module>} files on the
 * class path, through the tool the application uses ({@link #chooseTool(TollgateProperties.Migrations.Tool,
 * Environment, ClassLoader)}). Beans that use the database depend on this one, so the schema exists before they start; the
 * application's own Flyway and Liquibase run after it ({@link SchemaMigrationInitializerDetector}), so its
 * migrations may refer to Tollgate's tables.
 */
public final class SchemaMigration {

    static final String FLYWAY = "org.flywaydb.core.Flyway";
    static final String LIQUIBASE = "liquibase.Liquibase";

    private final MigrationTool tool;
    private final List<AppliedMigration> applied;

    private SchemaMigration(MigrationTool tool, List<AppliedMigration> applied) {
        this.tool = tool;
        this.applied = List.copyOf(applied);
    }

    /**
     * Applies the pending migrations.
     *
     * @param dataSource the application's database
     * @param classLoader where to find the migration files
     * @param tool the tool that applies them
     * @return what was applied
     * @throws TollgateStartupException if a migration cannot be applied, with the tool's reason and the fix
     */
    public static SchemaMigration apply(DataSource dataSource, ClassLoader classLoader, MigrationTool tool) {
        Objects.requireNonNull(dataSource, "dataSource");
        // The migration is often the first use of the application's pool, and runs while the embedded web server
        // starts (its filters need the gate, the gate the schema), when the thread's context class loader is the
        // web application's: the pool's threads would inherit it, and the server would warn at shutdown that the
        // web application "started a thread … but has failed to stop it". Start them with the application's own.
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            return new SchemaMigration(tool, SchemaMigrator.forAllModules().withClassLoader(classLoader).using(tool)
                    .migrate(dataSource));
        } catch (MigrationException e) {
            throw new TollgateStartupException(TollgateStartupException.Reason.MIGRATION_FAILED,
                    List.of(e.getMessage()));
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    /**
     * The tool for a setting: {@code auto} follows what the application uses, Flyway first, then Liquibase,
     * each unless switched off with {@code spring.flyway.enabled=false} / {@code spring.liquibase.enabled=false}.
     *
     * @param setting {@code tollgate.migrations.tool}
     * @param environment the application's environment
     * @param classLoader the application's class loader
     * @return the tool to migrate with
     */
    public static MigrationTool chooseTool(TollgateProperties.Migrations.Tool setting, Environment environment,
                                     ClassLoader classLoader) {
        return switch (setting) {
            case SCHEMA_MIGRATOR -> MigrationTool.SCHEMA_MIGRATOR;
            case FLYWAY -> MigrationTool.FLYWAY;
            case LIQUIBASE -> MigrationTool.LIQUIBASE;
            case AUTO -> {
                if (ClassUtils.isPresent(FLYWAY, classLoader)
                        && environment.getProperty("spring.flyway.enabled", Boolean.class, true)) {
                    yield MigrationTool.FLYWAY;
                }
                if (ClassUtils.isPresent(LIQUIBASE, classLoader)
                        && environment.getProperty("spring.liquibase.enabled", Boolean.class, true)) {
                    yield MigrationTool.LIQUIBASE;
                }
                yield MigrationTool.SCHEMA_MIGRATOR;
            }
        };
    }

    /** @return the tool that applied the migrations */
    public MigrationTool tool() {
        return tool;
    }

    /** @return the migrations this start applied (empty when the schema was current) */
    public List<AppliedMigration> applied() {
        return applied;
    }
}
