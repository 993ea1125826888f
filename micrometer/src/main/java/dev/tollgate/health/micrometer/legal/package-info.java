/**
 * Micrometer meters for the legal module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code dev.tollgate:tollgate-legal} (an optional dependency
 * of tollgate-micrometer).
 */
@NullMarked
package dev.tollgate.health.micrometer.legal;

import org.jspecify.annotations.NullMarked;
