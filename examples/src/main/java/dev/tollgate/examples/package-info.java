/**
 * A runnable demo service that wires every Tollgate module over the JDK {@code HttpServer}:
 * {@code java -jar examples/target/tollgate-demo.jar} starts it on port 8080 with an embedded PostgreSQL;
 * {@link dev.tollgate.examples.TollgateDemo} lists the options and routes.
 */
@NullMarked
package dev.tollgate.examples;

import org.jspecify.annotations.NullMarked;
