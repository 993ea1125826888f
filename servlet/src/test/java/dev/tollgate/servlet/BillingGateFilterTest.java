package dev.tollgate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.TenantBilling;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter with a real gate on an in-memory repository; the servlet request, response and chain are Mockito
 * mocks (awkward collaborators without a container). Moved here with the filter from {@code examples}; the
 * container-level behaviour is in {@link ServletRunbookTest} and {@link ServletBadInputTest}.
 */
class BillingGateFilterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    private BillingGateFilter filter;
    private HttpServletRequest request;
    private HttpServletResponse response;
    private FilterChain chain;
    private ByteArrayOutputStream written;

    @BeforeEach
    void setUp() throws Exception {
        InMemoryBillingRepository repository = new InMemoryBillingRepository(CLOCK);
        repository.put(TenantBilling.of("t_active", BillingStatus.ACTIVE, CLOCK.instant()), "test");
        repository.put(TenantBilling.of("t_unpaid", BillingStatus.UNPAID, CLOCK.instant()), "test");
        filter = BillingGateFilter.builder(BillingGate.builder().repository(repository).clock(CLOCK).build())
                .tenantResolver(TenantResolver.header("X-Tenant-Id"))
                .operation("POST", "/api/v1/checkout", OperationClass.PURCHASE)
                .operation("GET", "/api/v1/exports/*", OperationClass.WRITE)
                .build();
        request = mock(HttpServletRequest.class);
        response = mock(HttpServletResponse.class);
        chain = mock(FilterChain.class);
        written = new ByteArrayOutputStream();
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        when(request.getRequestURI()).thenReturn("/api/v1/projects");
        when(request.getServletPath()).thenReturn("/api/v1/projects");
        when(request.getHeaders("Accept")).thenReturn(Collections.emptyEnumeration());
    }

    @Test
    void anActiveTenantPassesToTheChain() throws Exception {
        when(request.getMethod()).thenReturn("POST");
        when(request.getHeader("X-Tenant-Id")).thenReturn("t_active");
        filter.doFilter(request, response, chain);
        verify(chain).doFilter(request, response);
        verify(response, never()).setStatus(402);
    }

    @Test
    void anUnpaidWriteIs402WithTheGateBodyAndTheChainIsNotCalled() throws Exception {
        when(request.getMethod()).thenReturn("PUT");
        when(request.getHeader("X-Tenant-Id")).thenReturn("t_unpaid");
        filter.doFilter(request, response, chain);
        verify(chain, never()).doFilter(request, response);
        verify(response).setStatus(402);
        verify(response).setContentType("application/json");
        assertTrue(written.toString().startsWith("{\"error\":\"subscription_required\",\"message\":"), written.toString());
        assertTrue(written.toString().endsWith("\"billing_status\":\"unpaid\"}"), written.toString());
    }

    @Test
    void anUnpaidReadPasses() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        when(request.getHeader("X-Tenant-Id")).thenReturn("t_unpaid");
        filter.doFilter(request, response, chain);
        verify(chain).doFilter(request, response);
    }

    @Test
    void problemJsonWhenAcceptAsksForIt() throws Exception {
        when(request.getMethod()).thenReturn("POST");
        when(request.getHeader("X-Tenant-Id")).thenReturn("t_unpaid");
        when(request.getHeaders("Accept")).thenReturn(Collections.enumeration(List.of("Application/Problem+JSON")));
        filter.doFilter(request, response, chain);
        verify(response).setStatus(402);
        verify(response).setContentType("application/problem+json");
        assertTrue(written.toString().contains("\"instance\":\"/api/v1/projects\""), written.toString());
    }

    @Test
    void noTenantIs400() throws Exception {
        when(request.getMethod()).thenReturn("POST");
        filter.doFilter(request, response, chain);
        verify(response).setStatus(400);
        verify(chain, never()).doFilter(request, response);
        assertEquals("{\"error\":\"tenant_required\",\"message\":\"This operation needs a tenant: send it in the"
                + " X-Tenant-Id header\"}", written.toString());
    }

    @Test
    void anOperationRuleDecidesInsteadOfTheMethod() throws Exception {
        when(request.getMethod()).thenReturn("POST");
        when(request.getHeader("X-Tenant-Id")).thenReturn("t_unpaid");
        when(request.getServletPath()).thenReturn("/api/v1/checkout");
        filter.doFilter(request, response, chain);
        verify(chain).doFilter(request, response); // an unpaid tenant may always pay

        HttpServletRequest export = mock(HttpServletRequest.class);
        when(export.getMethod()).thenReturn("GET");
        when(export.getHeader("X-Tenant-Id")).thenReturn("t_unpaid");
        when(export.getServletPath()).thenReturn("/api/v1");
        when(export.getPathInfo()).thenReturn("/exports/2026/all.csv");
        when(export.getHeaders("Accept")).thenReturn(Collections.emptyEnumeration());
        filter.doFilter(export, response, chain);
        verify(chain, never()).doFilter(export, response); // a GET made a write by its rule
        verify(response).setStatus(402);
    }

    @Test
    void nonHttpRequestsPassThrough() throws Exception {
        ServletRequest plain = mock(ServletRequest.class);
        ServletResponse plainResponse = mock(ServletResponse.class);
        filter.doFilter(plain, plainResponse, chain);
        verify(chain).doFilter(plain, plainResponse);
    }
}
