package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Applying a realistic event sequence in any order (with duplicates) gives the same final state as
 * applying it in the order the provider created it.
 */
@TollgatePostgres
class OutOfOrderPropertyTest {

    /** The state compared: everything but the time the tenant entered its status, ids without the run suffix. */
    record Projection(BillingStatus status, @Nullable String plan, List<String> entitlements,
                      @Nullable Instant periodEnd, @Nullable Instant graceUntil, @Nullable String customer,
                      @Nullable String subscription, @Nullable String sourceEvent, @Nullable String detailsEvent) {

        static Projection of(TenantBilling s, String suffix) {
            return new Projection(s.status(), s.planId(), s.entitlementIds(), s.currentPeriodEnd(), s.graceUntil(),
                    strip(s.customerId(), suffix), strip(s.subscriptionId(), suffix), strip(s.sourceEventId(), suffix),
                    strip(s.detailsEventId(), suffix));
        }

        private static @Nullable String strip(@Nullable String id, String suffix) {
            return id == null ? null : id.replace(suffix, "");
        }
    }

    private final BillingEventApplier applier = BillingEventApplier.ofDefaults();

    @Test
    void inMemoryStripePermutationsConverge() {
        check(300, 15, Scenarios::stripeLife);
    }

    @Test
    void inMemoryRevenueCatPermutationsConverge() {
        check(300, 15, Scenarios::revenueCatLife);
    }

    private void check(int sequences, int permutations, BiFunction<Long, String, List<ProviderEvent>> scenario) {
        Random random = new Random(20261123L);
        int distinctFinalStates = 0;
        BillingStatus firstStatus = null;
        for (int s = 0; s < sequences; s++) {
            long seed = random.nextLong();
            String tenant = "t";
            List<ProviderEvent> inOrder = scenario.apply(seed, tenant);
            InMemoryBillingRepository reference = new InMemoryBillingRepository(Clock.systemUTC());
            inOrder.forEach(e -> applier.apply(reference, e));
            Projection expected = Projection.of(reference.find(tenant).orElseThrow(), "");
            if (firstStatus == null) {
                firstStatus = expected.status();
            } else if (expected.status() != firstStatus) {
                distinctFinalStates++;
            }
            for (int p = 0; p < permutations; p++) {
                List<ProviderEvent> shuffled = new ArrayList<>(inOrder);
                if (random.nextBoolean()) {
                    shuffled.add(shuffled.get(random.nextInt(shuffled.size()))); // a redelivery
                }
                Collections.shuffle(shuffled, random);
                InMemoryBillingRepository repo = new InMemoryBillingRepository(Clock.systemUTC());
                shuffled.forEach(e -> applier.apply(repo, e));
                assertEquals(expected, Projection.of(repo.find(tenant).orElseThrow(), ""),
                        "seed " + seed + ", order " + shuffled.stream().map(ProviderEvent::id).toList());
            }
        }
        assertNotEquals(0, distinctFinalStates, "the scenarios must end in different states to prove anything");
    }

    @Test
    void postgresStripeAndRevenueCatPermutationsConverge(DataSource ds) {
        Random random = new Random(7L);
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        for (int s = 0; s < 12; s++) {
            long seed = random.nextLong();
            boolean stripe = s % 2 == 0;
            BiFunction<Long, String, List<ProviderEvent>> scenario = stripe ? Scenarios::stripeLife
                    : Scenarios::revenueCatLife;
            String refTenant = "pg" + s + "ref";
            scenario.apply(seed, refTenant).forEach(e -> applier.apply(ds, withSuffix(e, refTenant)));
            Projection expected = Projection.of(repo.find(refTenant).orElseThrow(), refTenant);
            for (int p = 0; p < 4; p++) {
                String tenant = "pg" + s + "p" + p;
                List<ProviderEvent> shuffled = new ArrayList<>(scenario.apply(seed, tenant));
                Collections.shuffle(shuffled, random);
                shuffled.forEach(e -> applier.apply(ds, withSuffix(e, tenant)));
                assertEquals(expected, Projection.of(repo.find(tenant).orElseThrow(), tenant), "seed " + seed);
            }
        }
    }

    /** Event ids are unique per tenant in one database (they are the audit cause and unresolved key). */
    private static ProviderEvent withSuffix(ProviderEvent event, String suffix) {
        var payload = event.payload().deepCopy();
        if (event.provider() == BillingProvider.STRIPE) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("id", event.id() + suffix);
        } else {
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload.get("event")).put("id", event.id() + suffix);
        }
        return ProviderEvent.of(event.provider(), payload);
    }
}
