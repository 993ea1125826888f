/**
 * Micrometer meters for the consent module, with the names and tags of
 * {@link dev.tollgate.health.metrics.TollgateMeters}. Needs {@code io.micrometer:micrometer-core} and
 * {@code dev.tollgate:tollgate-consent} (both optional dependencies of health).
 */
@NullMarked
package dev.tollgate.health.micrometer.consent;

import org.jspecify.annotations.NullMarked;
