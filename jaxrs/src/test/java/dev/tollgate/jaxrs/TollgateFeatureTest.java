package dev.tollgate.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.health.HealthEndpoints;
import dev.tollgate.health.HealthRegistry;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
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

    /** A resource whose gated method names an operation class that cannot exist. */
    static final class Misnamed {
        @RequiresBilling(operation = "Export Everything")
        public void export() {
        }

        public void open() {
        }
    }

    @Test
    void a_malformed_operation_name_fails_the_deployment_naming_the_method() throws Exception {
        DynamicFeature check = (DynamicFeature) TollgateFeature.builder()
                .billingGate(gate, TenantResolver.header("X-Tenant-Id")).build().components().stream()
                .filter(DynamicFeature.class::isInstance).findFirst().orElseThrow();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.configure(resource(Misnamed.class.getMethod("export")), null));
        assertTrue(e.getMessage().startsWith("@RequiresBilling on " + Misnamed.class.getName() + "#export: operation"
                + " class name must be lower-case"), e.getMessage());
        check.configure(resource(Misnamed.class.getMethod("open")), null); // not gated: nothing to check
    }

    private static ResourceInfo resource(Method method) {
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                return method;
            }

            @Override
            public Class<?> getResourceClass() {
                return method.getDeclaringClass();
            }
        };
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
            assertEquals(3, both.components().size(), "filter, deployment check, health: " + both.components());
        }
    }
}
