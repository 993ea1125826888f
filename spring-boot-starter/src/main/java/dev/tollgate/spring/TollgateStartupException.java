package dev.tollgate.spring;

import dev.tollgate.TollgateException;
import java.util.List;
import java.util.Objects;

/**
 * Tollgate's configuration of a Spring application is unusable: start-up stops with one message naming
 * every problem ({@code tollgate.*} properties, missing secrets, production checks). Secret values never
 * appear, at most masked ({@code whsec_…abcd}).
 */
public final class TollgateStartupException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why start-up stopped. */
    public enum Reason {
        /** One or more settings are missing or invalid. */
        INVALID_CONFIGURATION,
        /** Tollgate's schema migrations could not be applied (an edited applied file, a failing file, …). */
        MIGRATION_FAILED,
        /**
         * The billing gate has no trustworthy source for a request's tenant: no {@link TenantResolver} bean, no
         * Spring Security on the class path, and no {@code tollgate.billing.tenant.source}. The message names the
         * three ways to choose one.
         */
        NO_TENANT_SOURCE
    }

    /** The problems, in the order found; a {@code List.copyOf}, so serializable. */
    private final List<String> problems;
    /** Why start-up was refused, for callers that map it without parsing the message. */
    private final Reason reason;

    /**
     * @param problems every problem found, at least one
     */
    public TollgateStartupException(List<String> problems) {
        this(Reason.INVALID_CONFIGURATION, problems);
    }

    /**
     * @param reason why start-up stopped
     * @param problems every problem found, at least one
     */
    public TollgateStartupException(Reason reason, List<String> problems) {
        super(message(problems));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problems = List.copyOf(problems);
    }

    private static String message(List<String> problems) {
        Objects.requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems must not be empty");
        }
        StringBuilder text = new StringBuilder("Tollgate cannot start: ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }

    /**
     * @return why start-up stopped
     */
    public Reason reason() {
        return reason;
    }

    /**
     * @return every problem, one sentence each
     */
    public List<String> problems() {
        return problems;
    }
}
