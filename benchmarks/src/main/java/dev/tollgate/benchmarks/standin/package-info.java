/**
 * Minimal stand-ins for the Tollgate code that the benchmarks will measure once it is merged (Stripe
 * verifier, event parser, PostgreSQL claim and complete, webhook pipeline, cached billing gate). They
 * keep the harness runnable end to end; each is replaced by Tollgate's own class and then deleted. The
 * list of replacements is at the top of {@code benchmarks/run.sh} and in {@code benchmarks/README.md}.
 */
@NullMarked
package dev.tollgate.benchmarks.standin;

import org.jspecify.annotations.NullMarked;
