package dev.tollgate.integrity;

import java.util.List;
import java.util.Objects;

/**
 * The result of an integrity verification: every check that ran, in order.
 *
 * @param checks the checks; an empty report has not passed (nothing was verified)
 */
public record IntegrityReport(List<IntegrityCheck> checks) {

    /**
     * Copies the list and refuses nulls.
     *
     * @param checks the checks; an empty report has not passed (nothing was verified)
     */
    public IntegrityReport {
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
    }

    /**
     * Whether nothing failed: at least one check ran and none has status {@code FAIL}. Warnings do not
     * fail a report.
     *
     * @return true when the report passed
     */
    public boolean passed() {
        return !checks.isEmpty() && failures().isEmpty();
    }

    /**
     * The checks with status {@code FAIL}.
     *
     * @return the failed checks, in report order
     */
    public List<IntegrityCheck> failures() {
        return checks.stream().filter(c -> c.status() == IntegrityCheck.Status.FAIL).toList();
    }

    /**
     * The checks with status {@code WARN}.
     *
     * @return the warnings, in report order
     */
    public List<IntegrityCheck> warnings() {
        return checks.stream().filter(c -> c.status() == IntegrityCheck.Status.WARN).toList();
    }

    /**
     * Finds a check by name.
     *
     * @param name the check's name
     * @return the first check with that name
     * @throws IllegalArgumentException if the report has no such check
     */
    public IntegrityCheck check(String name) {
        Objects.requireNonNull(name, "name");
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the report has no check named '" + name
                        + "'; it has " + checks.stream().map(IntegrityCheck::name).toList()));
    }
}
