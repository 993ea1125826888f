package dev.tollgate.health.config;

import dev.tollgate.TollgateException;
import java.util.List;

/**
 * Thrown by {@link ProductionConfigValidator#validateOrThrow()} when a production configuration has
 * problems. The message lists every problem, with values masked; {@link #problems()} has them with their
 * machine-readable {@link ConfigProblem.Reason}s.
 */
public final class ConfigurationException extends TollgateException {

    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /** Every problem found, in the order found. */
    @SuppressWarnings("serial") // an immutable list of records; never serialized in practice
    private final List<ConfigProblem> problems;

    /**
     * @param environment the environment that was validated
     * @param problems every problem found, at least one
     */
    public ConfigurationException(String environment, List<ConfigProblem> problems) {
        super(message(environment, problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * @return every problem found
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * @return the distinct reasons, in the order found
     */
    public List<ConfigProblem.Reason> reasons() {
        return problems.stream().map(ConfigProblem::reason).distinct().toList();
    }

    private static String message(String environment, List<ConfigProblem> problems) {
        StringBuilder s = new StringBuilder("Tollgate configuration is not fit for ").append(environment)
                .append(" (").append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append("); fix the environment and restart:");
        problems.forEach(p -> s.append("\n - ").append(p.message()));
        return s.toString();
    }
}
