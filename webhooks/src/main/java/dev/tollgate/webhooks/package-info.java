/**
 * Webhook intake: signature verification (Stripe, RevenueCat, Standard Webhooks), the idempotency store SPI, and the verify, parse, claim, dispatch, complete pipeline.
 */
@NullMarked
package dev.tollgate.webhooks;

import org.jspecify.annotations.NullMarked;
