package dev.tollgate.spring.internal;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Migrations run when {@code tollgate.migrations.enabled=true}, never when {@code false}, and when unset
 * unless Flyway is on the class path (an application with Flyway runs one Flyway per Tollgate module instead,
 * as the README's "Database migrations" shows).
 */
public final class MigrationsCondition extends SpringBootCondition {

    static final String PROPERTY = "tollgate.migrations.enabled";
    static final String FLYWAY = "org.flywaydb.core.Flyway";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String value = context.getEnvironment().getProperty(PROPERTY);
        if (value != null) {
            boolean on = Boolean.parseBoolean(value.trim());
            return on ? ConditionOutcome.match(PROPERTY + "=true")
                    : ConditionOutcome.noMatch(PROPERTY + "=" + value.trim());
        }
        if (ClassUtils.isPresent(FLYWAY, context.getClassLoader())) {
            return ConditionOutcome.noMatch("Flyway is on the class path: run one Flyway per Tollgate module"
                    + " (classpath:db/tollgate/<module>, its own history table, baselineOnMigrate with baseline"
                    + " version 0; see the README's \"Database migrations\"), or set " + PROPERTY + "=true");
        }
        return ConditionOutcome.match(PROPERTY + " unset and no Flyway");
    }
}
