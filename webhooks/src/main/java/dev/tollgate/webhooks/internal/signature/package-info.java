/**
 * Implementation details of the signature verifiers: header parsing, strict hex and base64 decoding,
 * keyed HMAC-SHA256 prototypes, timestamp windows and configuration checks. Not API: these types may
 * change in any release; use {@link dev.tollgate.webhooks.StripeVerifier},
 * {@link dev.tollgate.webhooks.StandardWebhooksVerifier} and {@link dev.tollgate.webhooks.RevenueCatVerifier}.
 */
@NullMarked
package dev.tollgate.webhooks.internal.signature;

import org.jspecify.annotations.NullMarked;
