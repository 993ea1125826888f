/**
 * A real PostgreSQL for tests, with no set-up.
 *
 * <p>{@link dev.tollgate.testkit.postgres.TestPostgres#shared()} is the database server named by the
 * environment variable {@code TOLLGATE_TEST_JDBC_URL} when it is set, else an embedded PostgreSQL 15
 * started once per JVM. Each {@link dev.tollgate.testkit.postgres.TestDatabase} is a freshly created
 * database on that server. The JUnit 5 annotation {@link dev.tollgate.testkit.postgres.TollgatePostgres}
 * gives each test class its own database with every Tollgate migration on the class path applied.
 */
@NullMarked
package dev.tollgate.testkit.postgres;

import org.jspecify.annotations.NullMarked;
