/**
 * Micrometer bindings for health (an optional dependency: add {@code io.micrometer:micrometer-core}).
 */
@NullMarked
package dev.tollgate.health.micrometer;

import org.jspecify.annotations.NullMarked;
