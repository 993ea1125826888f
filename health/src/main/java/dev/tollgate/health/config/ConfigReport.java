package dev.tollgate.health.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link ProductionConfigValidator#validate()}.
 *
 * @param environment the environment name as configured, lower case ({@code development} when unset)
 * @param production whether it counts as production ({@code production} or {@code prod})
 * @param problems every problem found, empty when the configuration is fine
 * @param shown each setting's value as safe to show: masked for secrets, {@code (not set)} when absent
 */
public record ConfigReport(String environment, boolean production, List<ConfigProblem> problems,
                           Map<ConfigSetting, String> shown) {

    /**
     * Checks and copies the arguments.
     *
     * @param environment the environment name as configured, lower case ({@code development} when unset)
     * @param production whether it counts as production ({@code production} or {@code prod})
     * @param problems every problem found, empty when the configuration is fine
     * @param shown each setting's value as safe to show: masked for secrets, {@code (not set)} when absent
     */
    public ConfigReport {
        Objects.requireNonNull(environment, "environment");
        problems = List.copyOf(problems);
        shown = Collections.unmodifiableMap(new LinkedHashMap<>(shown));
    }

    /**
     * @return whether no problem was found
     */
    public boolean ok() {
        return problems.isEmpty();
    }
}
