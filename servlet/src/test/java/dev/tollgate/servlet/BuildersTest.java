package dev.tollgate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The builders refuse bad configurations at build(), naming every problem at once; nothing trusts a header unasked. */
class BuildersTest {

    private final BillingGate gate = BillingGate.builder().repository(new InMemoryBillingRepository(Clock.systemUTC()))
            .build();

    @Test
    void the_gate_filter_has_no_default_tenant_resolver_and_reports_every_bad_rule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BillingGateFilter.builder(gate)
                .operation("PO ST", "/x", OperationClass.WRITE)
                .operation("POST", "api", OperationClass.WRITE)
                .operation("POST", "/a/*/b", OperationClass.WRITE)
                .operation("POST", "/dup", OperationClass.WRITE)
                .operation("post", "/dup", OperationClass.READ)
                .build());
        String message = e.getMessage();
        assertTrue(message.contains("tenantResolver is required"), message);
        assertTrue(message.contains("'PO ST /x'"), message);
        assertTrue(message.contains("'POST api'"), message);
        assertTrue(message.contains("'POST /a/*/b'"), message);
        assertTrue(message.contains("'post /dup' is given twice"), message);
        assertEquals(5, message.split("; ").length, message);
        assertThrows(NullPointerException.class, () -> BillingGateFilter.builder(null));
        assertThrows(NullPointerException.class, () -> BillingGateFilter.builder(gate).tenantResolver(null));
    }

    @Test
    void a_header_resolver_is_an_explicit_choice_with_a_valid_header_name() {
        assertEquals("send it in the X-Tenant-Id header", TenantResolver.header("X-Tenant-Id").hint());
        assertThrows(IllegalArgumentException.class, () -> TenantResolver.header(""));
        assertThrows(IllegalArgumentException.class, () -> TenantResolver.header("X Tenant"));
        assertThrows(IllegalArgumentException.class, () -> TenantResolver.header("X-Tenant\r\n"));
        TenantResolver fromLogin = request -> null;
        assertEquals("sign in as a member of a tenant", fromLogin.hint());
    }

    @Test
    void the_webhook_servlet_refuses_a_bad_limit_and_provider_together() {
        WebhookPipeline pipeline = WebhookPipeline.builder().verifier(StripeVerifier.builder()
                .secret("whsec_buildersBuildersBuilders0123456789").build())
                .store(InMemoryIdempotencyStore.builder().build()).on("invoice.paid", event -> { }).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookServlet
                .builder(pipeline).provider(" ").maxBodyBytes(0).build());
        assertTrue(e.getMessage().contains("provider must be a name of 1 to 100 characters"), e.getMessage());
        assertTrue(e.getMessage().contains("maxBodyBytes must be 1 to 2147483646, but was 0"), e.getMessage());
        assertEquals("WebhookServlet[stripe, max 1048576 bytes]",
                WebhookServlet.builder(pipeline).provider("stripe").build().toString());
    }
}
