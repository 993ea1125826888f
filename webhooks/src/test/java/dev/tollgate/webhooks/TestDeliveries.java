package dev.tollgate.webhooks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;

/** Signed test deliveries in Stripe's event shape, and small SQL helpers. */
final class TestDeliveries {

    static final String SECRET = "whsec_test_pipeline_secret_0123456789";

    private TestDeliveries() {
    }

    static byte[] stripeEvent(String id, String type) {
        return ("{\n  \"id\": \"" + id + "\",\n  \"object\": \"event\",\n  \"api_version\": \"2019-02-19\",\n"
                + "  \"created\": 1767225600,\n  \"type\": \"" + type + "\",\n"
                + "  \"data\": {\"object\": {\"id\": \"in_1\", \"object\": \"invoice\", \"customer\": \"cus_1\"}}\n}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static WebhookRequest signed(Clock clock, byte[] body) {
        return WebhookRequest.of(Map.of(HmacTestVerifier.HEADER, HmacTestVerifier.header(SECRET, clock.instant(), body),
                "Content-Type", "application/json"), body);
    }

    static WebhookRequest signedStripe(Clock clock, String id, String type) {
        return signed(clock, stripeEvent(id, type));
    }

    static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
