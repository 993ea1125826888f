/**
 * Micrometer meters for the legal module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code io.micrometer:micrometer-core} and
 * {@code dev.tollgate:tollgate-legal} (both optional dependencies of health).
 */
@NullMarked
package dev.tollgate.health.micrometer.legal;

import org.jspecify.annotations.NullMarked;
