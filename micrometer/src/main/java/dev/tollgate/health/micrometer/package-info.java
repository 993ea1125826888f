/**
 * Micrometer bindings for health (artifact {@code dev.tollgate:tollgate-micrometer}, which brings
 * {@code io.micrometer:micrometer-core}).
 */
@NullMarked
package dev.tollgate.health.micrometer;

import org.jspecify.annotations.NullMarked;
