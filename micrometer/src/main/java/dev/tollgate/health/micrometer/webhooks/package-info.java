/**
 * Micrometer meters for the webhooks module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code dev.tollgate:tollgate-webhooks} (an optional dependency
 * of tollgate-micrometer).
 */
@NullMarked
package dev.tollgate.health.micrometer.webhooks;

import org.jspecify.annotations.NullMarked;
