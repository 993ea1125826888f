package dev.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.ApplyResult;
import dev.tollgate.billing.AuditEntry;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingProvider;
import dev.tollgate.billing.BillingRepository;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.ProviderEvent;
import dev.tollgate.billing.TenantBilling;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every billing state repository must have when events reach it through
 * {@link BillingEventApplier}. Extend it and implement the two hooks; every {@code @Nested} group runs
 * against your repository.
 *
 * <pre>{@code
 * class InMemoryBillingRepositoryTest extends BillingRepositoryContract {
 *     private InMemoryBillingRepository repository;
 *
 *     protected BillingRepository createRepository() {
 *         return repository = new InMemoryBillingRepository(Clock.systemUTC());
 *     }
 *
 *     protected ApplyResult apply(BillingEventApplier applier, ProviderEvent event) {
 *         return applier.apply(repository, event);
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #createRepository()} is called before each test and must return a repository that knows no
 * tenant, customer or event (a fresh instance, or a database whose billing tables were emptied).
 */
public abstract class BillingRepositoryContract {

    /** The instant the contract's events start at. */
    protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final BillingEventApplier applier = BillingEventApplier.ofDefaults();
    private BillingRepository repository;

    /**
     * Creates the repository under test, empty.
     *
     * @return the repository
     */
    protected abstract BillingRepository createRepository();

    /**
     * Applies an event to the repository last created, the way your service does.
     *
     * @param applier the applier to use
     * @param event the event
     * @return what the applier did
     */
    protected abstract ApplyResult apply(BillingEventApplier applier, ProviderEvent event);

    @BeforeEach
    final void createRepositoryUnderTest() {
        repository = createRepository();
    }

    private ApplyResult deliver(StripeEventFixture fixture) {
        EventPayload payload = fixture.build();
        return apply(applier, ProviderEvent.parse(BillingProvider.STRIPE,
                new String(payload.body(), StandardCharsets.UTF_8)));
    }

    private static StripeEventFixture subscription(String type, String id, String status, Instant created) {
        return StripeEventFixture.of(type).id(id).created(created).status(status)
                .customer("cus_contract").subscription("sub_contract").tenant("tenant-contract")
                .periodEnd(START.plusSeconds(30L * 24 * 3600));
    }

    private TenantBilling state(String tenant) {
        return repository.find(tenant).orElseThrow(() -> new AssertionError("no state for " + tenant));
    }

    @Nested
    @DisplayName("a tenant no event described")
    class UnknownTenant {

        @Test
        @DisplayName("has no state and no audit entries")
        void nothingKnown() {
            assertEquals(Optional.empty(), repository.find("tenant-unknown"));
            assertEquals(List.of(), repository.auditLog("tenant-unknown"));
            assertEquals(Optional.empty(), repository.customerOf(BillingProvider.STRIPE, "tenant-unknown"));
            assertEquals(Optional.empty(), repository.tenantForCustomer(BillingProvider.STRIPE, "cus_unknown"));
        }
    }

    @Nested
    @DisplayName("applying a subscription event")
    class Applying {

        @Test
        @DisplayName("stores status, provider ids, period end and the event that set it")
        void storesState() {
            ApplyResult result = deliver(subscription("customer.subscription.created", "evt_c1", "active", START));
            assertEquals(ApplyResult.Outcome.APPLIED, result.outcome(), result.detail());
            TenantBilling state = state("tenant-contract");
            assertEquals(BillingStatus.ACTIVE, state.status());
            assertEquals(BillingProvider.STRIPE, state.provider());
            assertEquals("cus_contract", state.customerId());
            assertEquals("sub_contract", state.subscriptionId());
            assertEquals(START.plusSeconds(30L * 24 * 3600), state.currentPeriodEnd());
            assertEquals("evt_c1", state.sourceEventId());
            assertEquals(START, state.sourceEventCreated());
        }

        @Test
        @DisplayName("writes one audit entry per status change, naming the cause")
        void auditsTransitions() {
            deliver(subscription("customer.subscription.created", "evt_a1", "active", START));
            deliver(subscription("customer.subscription.updated", "evt_a2", "past_due", START.plusSeconds(60)));
            List<AuditEntry> audit = repository.auditLog("tenant-contract");
            assertEquals(2, audit.size(), audit.toString());
            AuditEntry last = audit.get(audit.size() - 1);
            assertEquals(BillingStatus.ACTIVE, last.fromStatus());
            assertEquals(BillingStatus.PAST_DUE, last.toStatus());
            assertEquals("evt_a2", last.causeEventId());
        }
    }

    @Nested
    @DisplayName("events out of order")
    class OutOfOrder {

        @Test
        @DisplayName("an older event never overwrites a newer state")
        void olderEventIsStale() {
            deliver(subscription("customer.subscription.updated", "evt_o2", "past_due", START.plusSeconds(120)));
            ApplyResult older = deliver(subscription("customer.subscription.updated", "evt_o1", "active",
                    START.plusSeconds(60)));
            assertEquals(ApplyResult.Outcome.STALE, older.outcome(), older.detail());
            assertEquals(BillingStatus.PAST_DUE, state("tenant-contract").status());
            assertEquals(1, repository.auditLog("tenant-contract").size());
        }

        @Test
        @DisplayName("the same event twice changes nothing the second time")
        void redeliveryIsHarmless() {
            deliver(subscription("customer.subscription.updated", "evt_r1", "past_due", START));
            TenantBilling first = state("tenant-contract");
            deliver(subscription("customer.subscription.updated", "evt_r1", "past_due", START));
            assertEquals(first, state("tenant-contract"));
            assertEquals(1, repository.auditLog("tenant-contract").size());
        }
    }

    @Nested
    @DisplayName("customers and unresolved events")
    class Customers {

        @Test
        @DisplayName("checkout maps the customer to the tenant named by client_reference_id")
        void checkoutMapsCustomer() {
            ApplyResult result = deliver(StripeEventFixture.checkoutSessionCompleted().id("evt_k1").created(START)
                    .customer("cus_map").clientReferenceId("tenant-map"));
            assertEquals(ApplyResult.Outcome.CUSTOMER_MAPPED, result.outcome(), result.detail());
            assertEquals(Optional.of("tenant-map"), repository.tenantForCustomer(BillingProvider.STRIPE, "cus_map"));
            assertEquals(Optional.of("cus_map"), repository.customerOf(BillingProvider.STRIPE, "tenant-map"));
        }

        @Test
        @DisplayName("an event for an unknown customer is kept, then applied once the customer is mapped")
        void unresolvedThenReplayed() {
            ApplyResult early = deliver(StripeEventFixture.subscriptionCreated().id("evt_u1").created(START)
                    .status("active").customer("cus_late").subscription("sub_late")
                    .periodEnd(START.plusSeconds(3600)));
            assertEquals(ApplyResult.Outcome.UNRESOLVED, early.outcome(), early.detail());
            assertTrue(repository.unresolvedEvents().stream().anyMatch(e -> e.eventId().equals("evt_u1")),
                    repository.unresolvedEvents().toString());

            deliver(StripeEventFixture.checkoutSessionCompleted().id("evt_u2").created(START.plusSeconds(5))
                    .customer("cus_late").clientReferenceId("tenant-late"));
            assertEquals(BillingStatus.ACTIVE, state("tenant-late").status());
            assertTrue(repository.unresolvedEvents().stream().noneMatch(e -> e.eventId().equals("evt_u1")),
                    "replayed events leave the unresolved list");
        }
    }
}
