/**
 * Applies Tollgate's SQL migrations: by itself, or through the application's Flyway or Liquibase.
 *
 * <p>Every module ships plain, Flyway-compatible files under
 * {@code db/tollgate/<module>/V<n>__<description>.sql}, the one source of its schema, and a Liquibase changelog
 * beside them that lists them. {@link dev.tollgate.migrations.SchemaMigrator} applies them in version order,
 * module by module, each in its own transaction, recording them in {@code tollgate.schema_history}, or, with
 * {@link dev.tollgate.migrations.SchemaMigrator#using(MigrationTool)}, through Flyway (one history table per
 * module) or Liquibase, never in the application's own history. {@link dev.tollgate.migrations.MigrationTool}
 * says where each tool records them.
 */
@NullMarked
package dev.tollgate.migrations;

import org.jspecify.annotations.NullMarked;
