/** The seeds' go-live runbook, walked against a Spring Boot application on the embedded PostgreSQL. */
@NullMarked
package dev.tollgate.spring.runbook;

import org.jspecify.annotations.NullMarked;
