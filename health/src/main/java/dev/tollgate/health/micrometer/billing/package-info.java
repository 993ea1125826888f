/**
 * Micrometer meters for the billing module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code io.micrometer:micrometer-core} and
 * {@code dev.tollgate:tollgate-billing-core} (both optional dependencies of health).
 */
@NullMarked
package dev.tollgate.health.micrometer.billing;

import org.jspecify.annotations.NullMarked;
