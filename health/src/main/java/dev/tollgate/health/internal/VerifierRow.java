package dev.tollgate.health.internal;

import java.util.Objects;

/**
 * One row of a verifier function: {@code (check_name, status, detail)}. Internal on purpose: when
 * {@code dev.tollgate.integrity.IntegrityCheck} lands in core, {@link VerifierFunction} switches to it and
 * this record goes away.
 *
 * @param checkName the check's name
 * @param status {@code PASS}, {@code WARN}, {@code FAIL}, or whatever the function returned
 * @param detail the detail text, may be empty
 */
public record VerifierRow(String checkName, String status, String detail) {

    /** Checks the arguments. */
    public VerifierRow {
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }
}
