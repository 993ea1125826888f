package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The transactional claim runs under a generic plan on the partitioned table (it was planned on every call), and
 * leaves the transaction's {@code plan_cache_mode} as it found it for the handler's own statements.
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
