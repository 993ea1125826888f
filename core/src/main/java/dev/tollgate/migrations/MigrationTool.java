package dev.tollgate.migrations;

/**
 * Which tool applies Tollgate's migrations and records them. All three apply the same SQL files
 * ({@code db/tollgate/<module>/V<n>__<what>.sql}), module by module in the same order, and build the same
 * schema; {@code tollgate.verify_final_hardening()} reads the history of any of them.
 *
 * <table>
 *   <caption>What each tool records</caption>
 *   <tr><th>tool</th><th>history</th><th>needs on the class path</th></tr>
 *   <tr><td>{@link #SCHEMA_MIGRATOR}</td><td>{@code tollgate.schema_history}</td><td>nothing</td></tr>
 *   <tr><td>{@link #FLYWAY}</td><td>one table per module, {@code tollgate.flyway_<module>_history}</td><td>{@code org.flywaydb:flyway-core} and {@code flyway-database-postgresql}</td></tr>
 *   <tr><td>{@link #LIQUIBASE}</td><td>{@code tollgate.liquibase_changelog} (lock:
 *       {@code tollgate.liquibase_changelog_lock}), from each module's {@code db/tollgate/<module>/changelog.xml}</td>
 *       <td>{@code org.liquibase:liquibase-core} 4.x</td></tr>
 * </table>
 *
 * <p>Tollgate's history never shares a table with the application's own, and lives in schema {@code tollgate},
 * never the application's: the application's {@code V1__…} and Tollgate's {@code V1__…} do not collide, its
 * history holds only its own rows, and its Flyway still finds its schema empty on a new database.
 */
public enum MigrationTool {

    /** Tollgate's own {@link SchemaMigrator}: no dependency, history in {@code tollgate.schema_history}. */
    SCHEMA_MIGRATOR,

    /** The application's Flyway: one Flyway per module, each with its own history table. */
    FLYWAY,

    /** The application's Liquibase: each module's changelog, into Tollgate's own changelog table. */
    LIQUIBASE
}
