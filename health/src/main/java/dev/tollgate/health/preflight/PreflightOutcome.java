package dev.tollgate.health.preflight;

import java.util.Objects;

/**
 * What a {@link PreflightCheck} found.
 *
 * @param status the verdict
 * @param detail one line for the operator: what was found, and for WARN/FAIL what to do; no secrets
 */
public record PreflightOutcome(PreflightStatus status, String detail) {

    /**
     * Checks the arguments.
     *
     * @param status the verdict
     * @param detail one line for the operator: what was found, and for WARN/FAIL what to do; no secrets
     */
    public PreflightOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param detail what was found
     * @return a PASS outcome
     */
    public static PreflightOutcome pass(String detail) {
        return new PreflightOutcome(PreflightStatus.PASS, detail);
    }

    /**
     * @param detail what was found and what to look at
     * @return a WARN outcome
     */
    public static PreflightOutcome warn(String detail) {
        return new PreflightOutcome(PreflightStatus.WARN, detail);
    }

    /**
     * @param detail what failed and how to fix it
     * @return a FAIL outcome
     */
    public static PreflightOutcome fail(String detail) {
        return new PreflightOutcome(PreflightStatus.FAIL, detail);
    }
}
