package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class WebhookSchemaTest {

    private static Map<String, String> checks(DataSource dataSource) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT check_name, status, detail FROM webhooks.verify_webhook_schema()")) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2) + ": " + rs.getString(3));
            }
        }
        return result;
    }

    @Test
    @DisplayName("verify_webhook_schema() reports every check PASS on a fresh migration")
    void freshSchemaPasses(DataSource dataSource) throws SQLException {
        Map<String, String> checks = checks(dataSource);
        assertEquals(9, checks.size(), checks.toString());
        assertTrue(checks.get("events_partitioned_by_day").contains("range-partitioned by event_day"),
                checks.get("events_partitioned_by_day"));
        checks.forEach((name, outcome) -> assertTrue(outcome.startsWith("PASS"), name + " → " + outcome));
    }

    @Test
    @DisplayName("a dropped index, a dropped state check and a dead event without dead letter are reported FAIL")
    void brokenSchemaFails() throws SQLException {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            TestDeliveries.execute(db.dataSource(), "DROP INDEX webhooks.events_due_idx");
            TestDeliveries.execute(db.dataSource(), "ALTER TABLE webhooks.events DROP CONSTRAINT events_state_check");
            TestDeliveries.execute(db.dataSource(), "SELECT webhooks.ensure_event_partition(DATE '2026-01-01')");
            TestDeliveries.execute(db.dataSource(), "INSERT INTO webhooks.events (provider, event_id, state, attempts,"
                    + " next_attempt_at, received_at, event_day) VALUES ('stripe', 'evt_x', 'dead', 3, now(), now(),"
                    + " DATE '2026-01-01')");
            Map<String, String> checks = checks(db.dataSource());
            assertTrue(checks.get("indexes_present").startsWith("FAIL"), checks.get("indexes_present"));
            assertTrue(checks.get("indexes_present").contains("events_due_idx"), checks.get("indexes_present"));
            assertTrue(checks.get("events_state_check").startsWith("FAIL"));
            assertTrue(checks.get("dead_events_have_a_dead_letter").startsWith("FAIL"));
            assertTrue(checks.get("tables_present").startsWith("PASS"));
            assertFalse(checks.get("events_unique_provider_event_id").startsWith("FAIL"));
        }
    }

    @Test
    @DisplayName("a missing dead-letter table is reported FAIL, not an error")
    void missingTableFails() throws SQLException {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            TestDeliveries.execute(db.dataSource(), "DROP TABLE webhooks.dead_letter_queue");
            Map<String, String> checks = checks(db.dataSource());
            assertTrue(checks.get("tables_present").startsWith("FAIL"), checks.get("tables_present"));
            assertTrue(checks.get("dead_letter_foreign_key").startsWith("FAIL"));
        }
    }
}
