package dev.tollgate.health.preflight;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a {@link PreflightReport}.
 *
 * @param name the step's name
 * @param status its verdict
 * @param detail one scrubbed line for the operator
 * @param duration how long it took, by the preflight's clock
 */
public record PreflightStepResult(String name, PreflightStatus status, String detail, Duration duration) {

    /**
     * Checks the arguments.
     *
     * @param name the step's name
     * @param status its verdict
     * @param detail one scrubbed line for the operator
     * @param duration how long it took, by the preflight's clock
     */
    public PreflightStepResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(duration, "duration");
    }
}
