/**
 * Micrometer meters for the webhooks module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code io.micrometer:micrometer-core} and
 * {@code dev.tollgate:tollgate-webhooks} (both optional dependencies of health).
 */
@NullMarked
package dev.tollgate.health.micrometer.webhooks;

import org.jspecify.annotations.NullMarked;
