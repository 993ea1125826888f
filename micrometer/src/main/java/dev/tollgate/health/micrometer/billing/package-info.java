/**
 * Micrometer meters for the billing module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code dev.tollgate:tollgate-billing-core} (an optional dependency
 * of tollgate-micrometer).
 */
@NullMarked
package dev.tollgate.health.micrometer.billing;

import org.jspecify.annotations.NullMarked;
