/**
 * A runnable demo service that wires every Tollgate module over plain HTTP.
 */
@NullMarked
package dev.tollgate.examples;

import org.jspecify.annotations.NullMarked;
