/**
 * The Go/No-Go preflight: named steps, each PASS, WARN or FAIL, reported as JSON or text with an exit code.
 */
@NullMarked
package dev.tollgate.health.preflight;

import org.jspecify.annotations.NullMarked;
