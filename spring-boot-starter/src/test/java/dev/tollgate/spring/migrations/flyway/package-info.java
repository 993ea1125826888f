/**
 * An application with Flyway on its class path.
 */
@NullMarked
package dev.tollgate.spring.migrations.flyway;

import org.jspecify.annotations.NullMarked;
