/**
 * Applies Tollgate's SQL migrations without Flyway.
 *
 * <p>Every module ships plain, Flyway-compatible files under
 * {@code db/tollgate/<module>/V<n>__<description>.sql}. {@link dev.tollgate.migrations.SchemaMigrator}
 * applies them in version order, each in its own transaction, and records them in
 * {@code tollgate.schema_history}. Teams that already run Flyway can point one Flyway instance per module
 * at {@code classpath:db/tollgate/<module>} instead, each with its own history table and
 * {@code baselineOnMigrate(true)}, {@code baselineVersion("0")} (the root README has the recipe).
 */
@NullMarked
package dev.tollgate.migrations;

import org.jspecify.annotations.NullMarked;
