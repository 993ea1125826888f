/**
 * Signed event fixtures, a replayer for duplicate and concurrent deliveries, a mutable clock and SPI contract test suites.
 */
@NullMarked
package dev.tollgate.testkit;

import org.jspecify.annotations.NullMarked;
