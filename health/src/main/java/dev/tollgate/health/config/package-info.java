/**
 * Production configuration validation: {@link dev.tollgate.health.config.ProductionConfigValidator} reads
 * the environment and reports every problem at once, with values masked.
 */
@NullMarked
package dev.tollgate.health.config;

import org.jspecify.annotations.NullMarked;
