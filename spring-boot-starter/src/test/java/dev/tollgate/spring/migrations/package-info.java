/**
 * Applications that bring their own schema tool: the same tests, each run on its own test class path (with
 * Flyway, with Liquibase) by its own Surefire execution.
 */
@NullMarked
package dev.tollgate.spring.migrations;

import org.jspecify.annotations.NullMarked;
