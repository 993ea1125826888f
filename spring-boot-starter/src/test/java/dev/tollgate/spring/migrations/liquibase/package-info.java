/**
 * An application with Liquibase on its class path.
 */
@NullMarked
package dev.tollgate.spring.migrations.liquibase;

import org.jspecify.annotations.NullMarked;
