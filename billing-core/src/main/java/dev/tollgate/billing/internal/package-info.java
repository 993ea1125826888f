/**
 * Implementation of the billing core: provider event mappers, the out-of-order-safe transition engine,
 * the units of work over PostgreSQL and memory, and the gate's cache entries. Not API: may change
 * without notice.
 */
@NullMarked
package dev.tollgate.billing.internal;

import org.jspecify.annotations.NullMarked;
