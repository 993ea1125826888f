/**
 * Versioned consent policies and append-only consent records on PostgreSQL, with an integrity verifier.
 */
@NullMarked
package dev.tollgate.consent;

import org.jspecify.annotations.NullMarked;
