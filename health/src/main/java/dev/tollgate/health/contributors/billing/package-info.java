/**
 * Health contributors that read the billing module's objects (needs {@code tollgate-billing-core}, an optional
 * dependency of this module): how the billing gate sees status changes.
 */
@NullMarked
package dev.tollgate.health.contributors.billing;

import org.jspecify.annotations.NullMarked;
