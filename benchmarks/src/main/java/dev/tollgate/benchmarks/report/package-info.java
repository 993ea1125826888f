/**
 * Turns one run's JMH JSON and pgbench output into {@code benchmarks/results/latest.json}: the machine,
 * every benchmark's score, and the ratios with their goals.
 */
@NullMarked
package dev.tollgate.benchmarks.report;

import org.jspecify.annotations.NullMarked;
