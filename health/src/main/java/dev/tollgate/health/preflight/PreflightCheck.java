package dev.tollgate.health.preflight;

/**
 * One preflight step's check. A check that throws is reported FAIL with its scrubbed message.
 * {@link PreflightSteps} has the checks Tollgate ships.
 */
@FunctionalInterface
public interface PreflightCheck {

    /**
     * Runs the check.
     *
     * @return the outcome
     * @throws Exception any failure, reported as FAIL
     */
    PreflightOutcome run() throws Exception;
}
