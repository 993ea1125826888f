/** The tollgate-events Actuator endpoint and the webhook backlog meters in a Spring Boot application. */
@NullMarked
package dev.tollgate.spring.events;

import org.jspecify.annotations.NullMarked;
