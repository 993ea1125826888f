/**
 * Types every Tollgate module shares: the unchecked exception root {@link dev.tollgate.TollgateException}
 * and the {@link dev.tollgate.Secret} value type whose {@code toString()} never reveals its value.
 */
@NullMarked
package dev.tollgate;

import org.jspecify.annotations.NullMarked;
