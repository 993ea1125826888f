/**
 * Spring Boot auto-configuration for Tollgate, listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}. Public only
 * because Spring loads these classes by name; applications never refer to them except in
 * {@code @ImportAutoConfiguration} / {@code spring.autoconfigure.exclude}.
 */
@NullMarked
package dev.tollgate.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
