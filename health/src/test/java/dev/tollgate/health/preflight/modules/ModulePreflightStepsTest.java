package dev.tollgate.health.preflight.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.health.preflight.PreflightOutcome;
import dev.tollgate.health.preflight.PreflightStatus;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The webhook round trip proves the store deduplicates: its second delivery must reach the store. */
class ModulePreflightStepsTest {

    @Test
    void theSecondDeliveryIsAnsweredByTheStoreNotByTheDuplicateCache() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            // Every row version the store writes to webhooks.events is logged: the first delivery inserts and
            // completes (one UPDATE), the second delivery's claim is an INSERT … ON CONFLICT DO UPDATE (another).
            execute(db, "CREATE TABLE public.event_updates (event_id text NOT NULL)");
            execute(db, "CREATE FUNCTION public.log_event_update() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN INSERT INTO public.event_updates VALUES (NEW.event_id); RETURN NEW; END $$");
            execute(db, "CREATE TRIGGER log_event_update AFTER UPDATE ON webhooks.events FOR EACH ROW"
                    + " EXECUTE FUNCTION public.log_event_update()");

            PreflightOutcome outcome = ModulePreflightSteps.signedWebhookRoundTrip(db.dataSource(), Clock.systemUTC())
                    .run();

            assertEquals(PreflightStatus.PASS, outcome.status(), outcome.detail());
            assertEquals(2, count(db, "SELECT count(*) FROM public.event_updates"
                    + " WHERE event_id LIKE 'evt_tollgate_preflight_%'"),
                    "the completion and the second delivery's claim: the store answered the duplicate");
        }
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
