/**
 * The catalogue of Tollgate's Micrometer meters: names, types, tags and allowed tag values. Has no
 * Micrometer dependency itself, so every module can use the names.
 */
@NullMarked
package dev.tollgate.health.metrics;

import org.jspecify.annotations.NullMarked;
