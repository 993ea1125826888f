package dev.tollgate.billing;

/**
 * How much a tenant may do in a status (at a point of a time ladder). {@link OperationClass#PURCHASE}
 * is allowed at every level.
 */
public enum Access {
    /** Every operation. */
    ALL,
    /** Reads (and classes treated as reads) only. */
    READ_ONLY,
    /** Nothing but purchases. */
    NONE
}
