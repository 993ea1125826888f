/**
 * Tenant billing state from Stripe and RevenueCat events, and the billing gate that answers HTTP 402.
 */
@NullMarked
package dev.tollgate.billing;

import org.jspecify.annotations.NullMarked;
