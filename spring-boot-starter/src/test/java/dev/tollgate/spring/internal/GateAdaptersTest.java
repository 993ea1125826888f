package dev.tollgate.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.EnforcementMode;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.TenantBilling;
import dev.tollgate.spring.HeaderTenantResolver;
import dev.tollgate.spring.RequiresBilling;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;

/** The filter and the interceptor on one in-memory gate: methods, class annotations, report-only, odd tenants. */
class GateAdaptersTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final InMemoryBillingRepository repository =
            new InMemoryBillingRepository(Clock.fixed(NOW, ZoneOffset.UTC));
    private final BillingGate gate = BillingGate.builder().repository(repository)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    private final HeaderTenantResolver tenants = new HeaderTenantResolver("X-Tenant-Id");

    GateAdaptersTest() {
        repository.put(TenantBilling.of("late", BillingStatus.PAST_DUE, NOW.minusSeconds(3600)), "test");
        repository.put(TenantBilling.of("paid", BillingStatus.ACTIVE, NOW.minusSeconds(3600)), "test");
    }

    @Test
    void the_filter_lets_reads_through_and_answers_402_to_writes_of_a_past_due_tenant() throws Exception {
        BillingGateFilter filter = new BillingGateFilter(gate, tenants);
        assertThat(filter(filter, "GET", "late").getStatus()).isEqualTo(200);
        assertThat(filter(filter, "HEAD", "late").getStatus()).isEqualTo(200);
        MockHttpServletResponse denied = filter(filter, "DELETE", "late");
        assertThat(denied.getStatus()).isEqualTo(402);
        assertThat(denied.getContentAsString()).contains("\"billing_status\":\"past_due\"");
        assertThat(filter(filter, "POST", "paid").getStatus()).isEqualTo(200);
        assertThat(filter(filter, "POST", null).getStatus()).as("no tenant: not gated by the filter").isEqualTo(200);
        assertThat(filter(filter, "POST", "   ").getStatus()).as("blank tenant: no tenant").isEqualTo(200);
        assertThat(filter(filter, "POST", "x".repeat(10_000)).getStatus())
                .as("an invented huge tenant id: refused before any lookup").isEqualTo(400);
    }

    @Test
    void report_only_decides_but_lets_everything_through() throws Exception {
        gate.setEnforcementMode(EnforcementMode.REPORT_ONLY);
        assertThat(filter(new BillingGateFilter(gate, tenants), "POST", "late").getStatus()).isEqualTo(200);
        assertThat(intercept("write", "late").getStatus()).isEqualTo(200);
    }

    @Test
    void the_interceptor_gates_annotated_methods_and_classes_only() throws Exception {
        assertThat(intercept("write", "late").getStatus()).isEqualTo(402);
        assertThat(intercept("read", "late").getStatus()).isEqualTo(200);
        assertThat(intercept("classLevel", "late").getStatus()).as("class annotation: write").isEqualTo(402);
        assertThat(intercept("methodOverridesClass", "late").getStatus()).isEqualTo(200);
        assertThat(intercept("write", "paid").getStatus()).isEqualTo(200);
        MockHttpServletResponse none = intercept("write", null);
        assertThat(none.getStatus()).isEqualTo(400);
        assertThat(none.getContentAsString()).contains("tenant_required").contains("X-Tenant-Id");
        RequiresBillingInterceptor interceptor = new RequiresBillingInterceptor(gate, tenants, "hint");
        assertThat(interceptor.preHandle(new MockHttpServletRequest(), new MockHttpServletResponse(), new Object()))
                .as("not a handler method").isTrue();
        assertThat(intercept("plain", "late").getStatus()).isEqualTo(200);
    }

    @Test
    void problem_json_only_when_the_client_accepts_it() throws Exception {
        MockHttpServletRequest request = request("POST", "late");
        request.addHeader("Accept", "application/json, application/problem+json;q=0.9");
        MockHttpServletResponse response = new MockHttpServletResponse();
        new BillingGateFilter(gate, tenants).doFilter(request, response, new MockFilterChain());
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"status\":402").contains("\"instance\":\"/api/things\"");
    }

    private MockHttpServletResponse filter(BillingGateFilter filter, String method, String tenant) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request(method, tenant), response, new MockFilterChain());
        return response;
    }

    private MockHttpServletResponse intercept(String methodName, String tenant) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        Object controller = methodName.equals("classLevel") || methodName.equals("methodOverridesClass")
                ? new GatedController() : new Controller();
        HandlerMethod handler = new HandlerMethod(controller, controller.getClass().getDeclaredMethod(methodName));
        boolean proceed = new RequiresBillingInterceptor(gate, tenants, "send it in the X-Tenant-Id header")
                .preHandle(request("POST", tenant), response, handler);
        assertThat(proceed).isEqualTo(response.getStatus() == 200);
        return response;
    }

    private static MockHttpServletRequest request(String method, String tenant) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/things");
        if (tenant != null) {
            request.addHeader("X-Tenant-Id", tenant);
        }
        return request;
    }

    static class Controller {
        @RequiresBilling(operation = RequiresBilling.WRITE)
        void write() {
        }

        @RequiresBilling(operation = RequiresBilling.READ)
        void read() {
        }

        void plain() {
        }
    }

    @RequiresBilling
    static class GatedController {
        void classLevel() {
        }

        @RequiresBilling(operation = RequiresBilling.READ)
        void methodOverridesClass() {
        }
    }
}
