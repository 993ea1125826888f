/**
 * Preflight steps that drive other Tollgate modules for real: a signed test webhook through the webhook
 * pipeline, a gate check of a synthetic {@code past_due} tenant. They need {@code dev.tollgate:tollgate-webhooks}
 * and {@code dev.tollgate:tollgate-billing-core} on the class path (optional dependencies of health).
 */
@NullMarked
package dev.tollgate.health.preflight.modules;

import org.jspecify.annotations.NullMarked;
