package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A handler's exception message may quote the payload; what Tollgate keeps of it in
 * {@code webhooks.events.last_error} (readable by every operator with SQL access) is scrubbed of personal data and
 * secrets, keeping the exception type and the rest of the message.
 */
@TollgatePostgres
class HandlerFailureScrubbingTest {

    @Test
    void theLastErrorKeepsTheTypeAndMessageButNotTheEmailCardOrToken(DataSource dataSource) throws SQLException {
        MutableClock clock = MutableClock.at("2026-12-04T00:00:00Z");
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .store(PostgresIdempotencyStore.create(dataSource, clock)).clock(clock).lease(Duration.ofSeconds(30))
                .on("invoice.paid", event -> {
                    throw new IllegalStateException("could not charge alice@example.com with card 4242 4242 4242"
                            + " 4242 using sk_live_abcdefghijklmnop1234");
                })
                .build();
        assertEquals(500, pipeline.handle("stripe", TestDeliveries.signedStripe(clock, "evt_pii", "invoice.paid"))
                .httpStatus());

        String lastError = lastError(dataSource, "evt_pii");
        assertTrue(lastError.startsWith("java.lang.IllegalStateException: could not charge "), lastError);
        assertFalse(lastError.contains("alice@example.com"), lastError);
        assertFalse(lastError.contains("4242 4242 4242 4242"), lastError);
        assertFalse(lastError.contains("abcdefghijklmnop1234"), lastError);
        assertTrue(lastError.contains("[Filtered]"), lastError);
    }

    private static String lastError(DataSource dataSource, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT last_error FROM webhooks.events WHERE event_id = ?")) {
            s.setString(1, eventId);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
