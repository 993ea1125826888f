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
        INVALID_CONFIGURATION
    }

    /** The problems, in the order found; a {@code List.copyOf}, so serializable. */
    private final List<String> problems;

    /**
     * @param problems every problem found, at least one
     */
    public TollgateStartupException(List<String> problems) {
        super(message(problems));
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
     * @return {@link Reason#INVALID_CONFIGURATION}
     */
    public Reason reason() {
        return Reason.INVALID_CONFIGURATION;
    }

    /**
     * @return every problem, one sentence each
     */
    public List<String> problems() {
        return problems;
    }
}
