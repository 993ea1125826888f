/**
 * A Spring Boot application with Spring Security as a JWT resource server: the billing gate's tenant comes from the
 * authenticated principal (run in its own Surefire execution, with Spring Security's web stack on the class path).
 */
@NullMarked
package dev.tollgate.spring.security;

import org.jspecify.annotations.NullMarked;
