/**
 * Tenant billing state from Stripe and RevenueCat events, and the billing gate that answers HTTP 402.
 *
 * <h2>Entry points</h2>
 * <ul>
 *   <li>{@link dev.tollgate.billing.BillingEventApplier} applies a parsed provider event
 *       ({@link dev.tollgate.billing.ProviderEvent}) to the state, out-of-order safe, inside the caller's
 *       JDBC transaction ({@code apply(Connection, event)}) or to an
 *       {@link dev.tollgate.billing.InMemoryBillingRepository}.</li>
 *   <li>{@link dev.tollgate.billing.BillingGate} decides per tenant and
 *       {@link dev.tollgate.billing.OperationClass} with a {@link dev.tollgate.billing.GatingPolicy};
 *       {@link dev.tollgate.billing.DenialResponse} writes the 402 (or 503) body.</li>
 *   <li>{@link dev.tollgate.billing.PostgresBillingListener} keeps every replica's gate cache fresh
 *       with {@code LISTEN/NOTIFY}, falling back to the cache TTL behind PgBouncer.</li>
 *   <li>{@link dev.tollgate.billing.BillingReconciler} fetches the current subscription from the provider.</li>
 * </ul>
 *
 * <pre>{@code
 * SchemaMigrator.forModules("billing").migrate(dataSource);
 * BillingEventApplier applier = BillingEventApplier.ofDefaults();
 * applier.apply(dataSource, ProviderEvent.parse(BillingProvider.STRIPE, verifiedBody));
 *
 * BillingGate gate = BillingGate.builder()
 *         .repository(new PostgresBillingRepository(dataSource))
 *         .environment(System.getenv())
 *         .build();
 * PostgresBillingListener.builder(listenDataSource).gate(gate).build().start();
 * BillingDecision decision = gate.check(tenantId, OperationClass.WRITE);
 * if (!decision.allowed()) {
 *     DenialResponse response = DenialResponse.json(decision); // 402 {"error":"subscription_required",…}
 * }
 * }</pre>
 */
@NullMarked
package dev.tollgate.billing;

import org.jspecify.annotations.NullMarked;
