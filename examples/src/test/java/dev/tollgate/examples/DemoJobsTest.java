package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DemoJobsTest {

    @Test
    void tenantIdsAClientInventsKeepTheJobsMapAtItsBound() {
        DemoJobs jobs = new DemoJobs(1_000, 100, Runnable::run);
        for (int i = 0; i < 100_000; i++) {
            jobs.add("tenant-" + UUID.randomUUID(), Map.of("job_id", "job_" + i));
            if (i % 10 == 0) {
                jobs.add("paying-tenant", Map.of("job_id", "job_paying_" + i)); // a tenant that keeps working
            }
            if (i % 10_000 == 0) {
                assertTrue(jobs.tenants() <= 1_000, "after " + i + " ids: " + jobs.tenants());
            }
        }
        assertEquals(1_000, jobs.tenants());
        List<Map<String, Object>> paying = jobs.of("paying-tenant");
        assertEquals(100, paying.size(), "the tenant in use keeps its jobs, at most 100");
        assertEquals("job_paying_99990", paying.get(0).get("job_id"), "newest first");
        assertEquals(List.of(), jobs.of("never-seen"));
        assertEquals(1_000, jobs.tenants(), "reading an unknown tenant stores nothing");
    }

    @Test
    void eachTenantKeepsOnlyItsNewestJobs() {
        DemoJobs jobs = new DemoJobs(10, 3, Runnable::run);
        for (int i = 1; i <= 5; i++) {
            jobs.add("t1", Map.of("job_id", "job_" + i));
        }
        assertEquals(List.of("job_5", "job_4", "job_3"), jobs.of("t1").stream().map(j -> j.get("job_id")).toList());
        assertThrows(IllegalArgumentException.class, () -> new DemoJobs(0, 3, Runnable::run));
    }
}
