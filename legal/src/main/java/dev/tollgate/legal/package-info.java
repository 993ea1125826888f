/**
 * Versioned legal documents and hash-chained acceptance records on PostgreSQL, with an integrity verifier.
 */
@NullMarked
package dev.tollgate.legal;

import org.jspecify.annotations.NullMarked;
