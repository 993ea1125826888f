package dev.tollgate.spring.internal;

import dev.tollgate.spring.TollgateStartupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link TollgateStartupException} into Spring Boot's "APPLICATION FAILED TO START" report: every
 * problem as the description, what to do as the action, no stack trace to dig through.
 */
public final class TollgateStartupFailureAnalyzer extends AbstractFailureAnalyzer<TollgateStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TollgateStartupException cause) {
        String action = switch (cause.reason()) {
            case MIGRATION_FAILED -> "Tollgate's schema was not changed by this start. Do what the message above says;"
                    + " the migrations are forward-only, so never edit or delete an applied file or its history row.";
            case NO_TENANT_SOURCE -> "Choose where the billing gate reads a request's tenant from: Spring Security's"
                    + " authentication (add spring-boot-starter-security), a TenantResolver bean of your own, or"
                    + " tollgate.billing.tenant.source=header behind a proxy that sets the header.";
            case INVALID_CONFIGURATION -> "Fix the tollgate.* properties (or TOLLGATE_* environment variables) named"
                    + " above; each message says what is expected. Switch a part off with tollgate.<part>.enabled=false.";
        };
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
