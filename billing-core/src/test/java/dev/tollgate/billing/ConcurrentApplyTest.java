package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Several replicas (pools) applying the same events at once, duplicates included, converge. */
@TollgatePostgres
class ConcurrentApplyTest {

    private final BillingEventApplier applier = BillingEventApplier.ofDefaults();

    @Test
    void concurrentDeliveriesOnThreePoolsConvergeToTheInOrderState(TestDatabase db) throws Exception {
        Random random = new Random(99L);
        List<DataSource> replicas = List.of(db.newPool(4), db.newPool(4), db.newPool(4));
        ExecutorService executor = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 6; round++) {
                long seed = random.nextLong();
                String tenant = "conc" + round;
                List<ProviderEvent> events = Scenarios.stripeLife(seed, tenant);
                InMemoryBillingRepository reference = new InMemoryBillingRepository(Clock.systemUTC());
                events.forEach(e -> applier.apply(reference, e));

                List<ProviderEvent> deliveries = new ArrayList<>(events);
                deliveries.addAll(events); // every event delivered twice
                Collections.shuffle(deliveries, random);
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<ApplyResult>> tasks = new ArrayList<>();
                for (int i = 0; i < deliveries.size(); i++) {
                    ProviderEvent event = deliveries.get(i);
                    DataSource replica = replicas.get(i % replicas.size());
                    tasks.add(() -> {
                        start.await();
                        return applier.apply(replica, event);
                    });
                }
                List<Future<ApplyResult>> futures = new ArrayList<>();
                tasks.forEach(t -> futures.add(executor.submit(t)));
                start.countDown();
                for (Future<ApplyResult> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
                TenantBilling expected = reference.find(tenant).orElseThrow();
                TenantBilling actual = new PostgresBillingRepository(db.dataSource()).find(tenant).orElseThrow();
                assertEquals(OutOfOrderPropertyTest.Projection.of(expected, ""),
                        OutOfOrderPropertyTest.Projection.of(actual, ""), "seed " + seed);
                long applied = new PostgresBillingRepository(db.dataSource()).auditLog(tenant).size();
                assertTrue(applied <= events.size(), "a duplicate never writes twice: " + applied);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void reconcilerToStringMasksTheKey() {
        BillingReconciler reconciler = BillingReconciler.builder().applier(applier)
                .target(new InMemoryBillingRepository(Clock.systemUTC()))
                .revenueCat(dev.tollgate.Secret.of("sk_abcdefghijklmnopqrstuvwxyz123456"))
                .revenueCatApiBase(URI.create("http://127.0.0.1:1")).build();
        assertFalse(reconciler.toString().contains("abcdefghijklmnop"), reconciler.toString());
        assertTrue(reconciler.toString().contains("sk_…3456"), reconciler.toString());
    }
}
