/**
 * Health, readiness and liveness contributors, production configuration validation, observability and the Go/No-Go preflight.
 */
@NullMarked
package dev.tollgate.health;

import org.jspecify.annotations.NullMarked;
