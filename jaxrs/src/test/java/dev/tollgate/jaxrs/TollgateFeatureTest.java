package dev.tollgate.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The feature's builder refuses bad configurations at build(), naming every problem; nothing trusts a header unasked. */
class TollgateFeatureTest {

    private final BillingGate gate = BillingGate.builder().repository(new InMemoryBillingRepository(Clock.systemUTC()))
            .build();

    @Test
    void build_reports_every_problem_at_once() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> TollgateFeature.builder().maxBodyBytes(0).build());
        String message = empty.getMessage();
        assertTrue(message.contains("nothing to register"), message);
        assertTrue(message.contains("maxBodyBytes is set but webhooks(pipeline) is not"), message);
        assertTrue(message.contains("maxBodyBytes must be 1 to 2147483646, but was 0"), message);

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> TollgateFeature.builder()
                .billingGate(gate, TenantResolver.header("X-Tenant-Id"))
                .billingGate(gate, TenantResolver.header("X-Tenant-Id"))
                .build());
        assertTrue(twice.getMessage().contains("billingGate was given twice"), twice.getMessage());
    }

    @Test
    void the_gate_needs_an_explicit_tenant_resolver_and_components_are_what_was_configured() {
        assertThrows(NullPointerException.class, () -> TollgateFeature.builder().billingGate(gate, null));
        assertThrows(IllegalArgumentException.class, () -> TenantResolver.header("X Tenant"));
        assertEquals("send it in the X-Tenant-Id header", TenantResolver.header("X-Tenant-Id").hint());
        TenantResolver fromLogin = request -> null;
        assertEquals("sign in as a member of a tenant", fromLogin.hint());

        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            TollgateFeature health = TollgateFeature.builder().health(HealthEndpoints.builder(registry).build()).build();
            assertEquals(1, health.components().size());
            TollgateFeature both = TollgateFeature.builder().health(HealthEndpoints.builder(registry).build())
                    .billingGate(gate, TenantResolver.header("X-Tenant-Id")).build();
            assertEquals(2, both.components().size());
        }
    }
}
