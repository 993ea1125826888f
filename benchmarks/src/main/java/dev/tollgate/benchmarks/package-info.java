/** JMH benchmarks of Tollgate beside their references. */
@NullMarked
package dev.tollgate.benchmarks;

import org.jspecify.annotations.NullMarked;
