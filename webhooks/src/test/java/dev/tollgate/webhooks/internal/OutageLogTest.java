package dev.tollgate.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.webhooks.IdempotencyStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A database outage is one WARN and one INFO line, not one per poll and thread. */
class OutageLogTest {

    private static final Logger LOG = LoggerFactory.getLogger(OutageLogTest.class);
    private static final IdempotencyStoreException DOWN = new IdempotencyStoreException(
            IdempotencyStoreException.Reason.UNAVAILABLE, "database down (test)", null);

    @Test
    void theFirstFailureOfAnOutageIsAWarningTheRestDebugAndTheRecoveryOneInfo() {
        OutageLog log = new OutageLog("test worker");
        assertFalse(log.succeeded(LOG), "no outage yet: nothing to say");
        assertTrue(log.failed(LOG, DOWN, "retrying"));
        assertFalse(log.failed(LOG, DOWN, "retrying"));
        assertFalse(log.failed(LOG, DOWN, "retrying"));
        assertTrue(log.succeeded(LOG), "the outage ended");
        assertFalse(log.succeeded(LOG));
        assertTrue(log.failed(LOG, DOWN, "retrying"), "a new outage warns again");
    }

    @Test
    void manyThreadsPollingThroughOneOutageWarnOnce() throws Exception {
        OutageLog log = new OutageLog("test worker");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> warned = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                warned.add(threads.submit(() -> {
                    int warnings = 0;
                    for (int i = 0; i < 1_000; i++) {
                        warnings += log.failed(LOG, DOWN, "retrying") ? 1 : 0;
                    }
                    return warnings;
                }));
            }
            int total = 0;
            for (Future<Integer> f : warned) {
                total += f.get(1, TimeUnit.MINUTES);
            }
            assertEquals(1, total);
        } finally {
            threads.shutdownNow();
        }
    }
}
