package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The transactional claim is planned once per connection on the partitioned table (a statement with a partition
 * parameter in its WHERE was planned on every call), and leaves the transaction's {@code plan_cache_mode} as it
 * found it for the handler's own statements.
 */
@TollgatePostgres
class ClaimPlanTest {

    private final DataSource dataSource;
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:10Z");

    ClaimPlanTest(TestDatabase database) {
        this.dataSource = database.dataSource();
    }

    @Test
    @DisplayName("the handler's statements see the transaction's own plan_cache_mode after the claim")
    void claimLeavesPlanCacheModeAsItWas() throws SQLException {
        PostgresIdempotencyStore store = PostgresIdempotencyStore.create(dataSource, clock);
        for (String mode : new String[] {"auto", "force_custom_plan"}) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("SET LOCAL plan_cache_mode = " + mode);
                for (int i = 0; i < 8; i++) { // past pgjdbc's prepareThreshold: the named statement too
                    assertEquals(ClaimResult.Status.NEW, store.claimProcessed(c, event("evt_plan_" + mode + i)).status());
                    assertEquals(mode, show(s));
                }
                assertEquals(ClaimResult.Status.ALREADY_PROCESSED, store.claimProcessed(c, event("evt_plan_" + mode + 0))
                        .status());
                assertEquals(mode, show(s));
                c.commit();
            }
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertEquals("auto", show(s), "nothing outlives the transaction");
        }
    }

    @Test
    @DisplayName("the claim's prepared statement runs under a cached generic plan, not planned on every call")
    void claimUsesCachedPlan() throws SQLException {
        PostgresIdempotencyStore store = PostgresIdempotencyStore.create(dataSource, clock);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long[] before = plans(s); // the pool's connection may have run the claim before
            for (int i = 0; i < 16; i++) { // pgjdbc names the statement from its 5th use; the server plans 5 times
                assertEquals(ClaimResult.Status.NEW, store.claimProcessed(c, event("evt_cached_" + i)).status());
            }
            assertEquals(ClaimResult.Status.ALREADY_PROCESSED,
                    store.claimProcessed(c, event("evt_cached_3")).status());
            long[] after = plans(s);
            long generic = after[0] - before[0];
            long custom = after[1] - before[1];
            assertTrue(generic >= 5 && custom <= 5, "generic plans: " + generic + ", custom plans: " + custom);
            c.commit();
        }
    }

    /** Generic and custom plans so far of the claim's server-side prepared statement on this connection. */
    private static long[] plans(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                + " FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO webhooks.events AS e%processed%'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static String show(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static WebhookEvent event(String id) {
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        return new WebhookEvent("stripe", id, "invoice.paid", Instant.parse("2026-01-01T00:00:00Z"), body,
                JsonNodeFactory.instance.objectNode());
    }
}
