package dev.tollgate.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PgbenchOutputTest {

    private static final String SUMMARY = """
            transaction type: target/pgbench-insert.sql
            scaling factor: 1
            query mode: prepared
            number of clients: 8
            number of threads: 2
            maximum number of tries: 1
            duration: 10 s
            number of transactions actually processed: 51234
            number of failed transactions: %d (0.000%%)
            latency average = 1.561 ms
            initial connection time = 12.345 ms
            tps = 5123.456789 (without initial connection time)
            """;

    @Test
    void readsTheThroughputWithoutConnectionTime() {
        assertEquals(5123.456789, PgbenchOutput.transactionsPerSecond(SUMMARY.formatted(0)), 1e-9);
    }

    @Test
    void readsOlderPgbenchSummaries() {
        assertEquals(812.5, PgbenchOutput.transactionsPerSecond("tps = 900.1 (including connections establishing)\n"
                + "tps = 812.5 (excluding connections establishing)\n"), 1e-9);
    }

    @Test
    void refusesARunWithFailedTransactions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PgbenchOutput.transactionsPerSecond(SUMMARY.formatted(3)));
        assertTrue(e.getMessage().contains("3 failed"), e.getMessage());
    }

    @Test
    void refusesOutputWithoutASummary() {
        assertThrows(IllegalArgumentException.class, () -> PgbenchOutput.transactionsPerSecond(""));
        assertThrows(IllegalArgumentException.class, () -> PgbenchOutput.transactionsPerSecond(
                "pgbench: error: connection to server at \"127.0.0.1\", port 55432 failed\n"));
        assertThrows(IllegalArgumentException.class, () -> PgbenchOutput.transactionsPerSecond("tps = abc (without initial connection time)"));
    }
}
