package dev.tollgate.spring.internal;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Makes Tollgate's {@link SchemaMigration} a database initializer that runs before every other one. Spring Boot
 * orders initializers by their detector's order, each group after the one before: the application's Flyway
 * (order 0 and 1), Liquibase (0) and SQL scripts wait for Tollgate's schemas, and so do the beans that depend on
 * database initialization (JdbcTemplate, JPA). The application's migrations may therefore use Tollgate's tables.
 */
public final class SchemaMigrationInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    /** Created by Spring's factories loader. */
    public SchemaMigrationInitializerDetector() {
    }

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(SchemaMigration.class);
    }

    @Override
    public int getOrder() {
        return -100;
    }
}
