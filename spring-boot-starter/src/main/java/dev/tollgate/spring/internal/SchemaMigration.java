package dev.tollgate.spring.internal;

import dev.tollgate.migrations.AppliedMigration;
import dev.tollgate.migrations.SchemaMigrator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The migrations applied at start-up: every Tollgate module's {@code db/tollgate/<module>} files on the
 * class path, through {@link SchemaMigrator} (advisory lock, one transaction per file). Beans that use
 * the database depend on this one, so the schema exists before they start.
 */
public final class SchemaMigration {

    private final List<AppliedMigration> applied;

    private SchemaMigration(List<AppliedMigration> applied) {
        this.applied = List.copyOf(applied);
    }

    /**
     * Applies the pending migrations.
     *
     * @param dataSource the application's database
     * @param classLoader where to find the migration files
     * @return what was applied
     */
    public static SchemaMigration apply(DataSource dataSource, ClassLoader classLoader) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new SchemaMigration(SchemaMigrator.forAllModules().withClassLoader(classLoader).migrate(dataSource));
    }

    /** @return the migrations this start applied (empty when the schema was current) */
    public List<AppliedMigration> applied() {
        return applied;
    }
}
