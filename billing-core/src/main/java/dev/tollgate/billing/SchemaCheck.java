package dev.tollgate.billing;

import java.util.Objects;

/**
 * One row of {@code billing.verify_billing_schema()}.
 *
 * @param checkName what was checked
 * @param status {@code PASS}, {@code FAIL} or {@code WARN}
 * @param detail what was found
 */
public record SchemaCheck(String checkName, String status, String detail) {

    /**
     * Validates the fields.
     *
     * @param checkName what was checked
     * @param status {@code PASS}, {@code FAIL} or {@code WARN}
     * @param detail what was found
     */
    public SchemaCheck {
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Whether the check passed.
     *
     * @return true for {@code PASS}
     */
    public boolean passed() {
        return "PASS".equals(status);
    }
}
