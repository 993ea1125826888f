/**
 * Micrometer meters for the consent module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code dev.tollgate:tollgate-consent} (an optional dependency
 * of tollgate-micrometer).
 */
@NullMarked
package dev.tollgate.health.micrometer.consent;

import org.jspecify.annotations.NullMarked;
