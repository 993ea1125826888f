package dev.tollgate.testkit;

import dev.tollgate.billing.ApplyResult;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingRepository;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.ProviderEvent;
import java.time.Clock;

class InMemoryBillingRepositoryContractTest extends BillingRepositoryContract {

    private InMemoryBillingRepository repository;

    @Override
    protected BillingRepository createRepository() {
        return repository = new InMemoryBillingRepository(Clock.systemUTC());
    }

    @Override
    protected ApplyResult apply(BillingEventApplier applier, ProviderEvent event) {
        return applier.apply(repository, event);
    }
}
