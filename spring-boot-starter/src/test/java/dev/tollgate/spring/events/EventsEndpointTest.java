package dev.tollgate.spring.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.spring.runbook.RunbookApplication;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code tollgate-events} endpoint over HTTP, granted access and exposed, in a Spring Boot application on a random
 * port and a real PostgreSQL: list with filters, show without payload, re-drive one and many, bad arguments 400.
 * Each test seeds its own event type, so the tests share the database without seeing each other's rows.
 */
@SpringBootTest(classes = RunbookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "tollgate.webhooks.stripe.secret=whsec_eventsEndpointEventsEndpoint0123456789",
                "tollgate.billing.tenant.source=header",
                "management.endpoint.tollgate-events.access=unrestricted",
                "management.endpoints.web.exposure.include=health,tollgate-events"})
class EventsEndpointTest {

    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/actuator/tollgate-events";

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::user);
        registry.add("spring.datasource.password", DATABASE::password);
    }

    @AfterAll
    static void dropDatabase() {
        DATABASE.close();
    }

    @Test
    void list_filters_by_state_type_and_age_newest_first_without_payloads() throws Exception {
        String type = type();
        Instant now = Instant.now();
        insert("evt_" + type + "_old", type, "dead", now.minus(Duration.ofHours(3)), "{\"email\":\"ann@example.com\"}");
        deadLetter("evt_" + type + "_old");
        insert("evt_" + type + "_new", type, "dead", now.minus(Duration.ofMinutes(5)), null);
        deadLetter("evt_" + type + "_new");
        insert("evt_" + type + "_done", type, "processed", now.minus(Duration.ofMinutes(1)), null);

        HttpResponse<String> dead = get(BASE + "?state=dead&type=" + type);
        assertEquals(200, dead.statusCode(), dead.body());
        JsonNode body = JSON.readTree(dead.body());
        assertEquals(2, body.get("count").asInt());
        assertEquals(100, body.get("limit").asInt(), "the default limit");
        assertEquals("evt_" + type + "_new", body.get("events").get(0).get("id").asText(), "newest first");
        assertEquals("dead", body.get("events").get(0).get("state").asText());
        assertEquals("stripe", body.get("events").get(0).get("provider").asText());
        assertFalse(dead.body().contains("ann@example.com"), "never a payload");

        JsonNode old = JSON.readTree(get(BASE + "?state=dead,processed&type=" + type + "&olderThan=1h").body());
        assertEquals(1, old.get("count").asInt());
        assertEquals("evt_" + type + "_old", old.get("events").get(0).get("id").asText());
        JsonNode recent = JSON.readTree(get(BASE + "?type=" + type + "&newerThan=PT30M&limit=1").body());
        assertEquals(1, recent.get("count").asInt(), "limit 1 of the two recent ones");
        assertEquals("evt_" + type + "_done", recent.get("events").get(0).get("id").asText());
        assertEquals(0, JSON.readTree(get(BASE + "?type=" + type + "&provider=revenuecat").body()).get("count").asInt());
    }

    @Test
    void show_is_metadata_attempts_error_and_dead_letters_never_the_payload() throws Exception {
        String type = type();
        String id = "evt_" + type;
        insert(id, type, "dead", Instant.now().minusSeconds(60), "{\"email\":\"bob@example.com\"}");
        deadLetter(id);

        HttpResponse<String> shown = get(BASE + "/stripe/" + id);
        assertEquals(200, shown.statusCode(), shown.body());
        JsonNode body = JSON.readTree(shown.body());
        assertEquals(id, body.get("id").asText());
        assertEquals(type, body.get("type").asText());
        assertEquals(5, body.get("attempts").asInt());
        assertEquals("java.lang.IllegalStateException: ledger unavailable", body.get("lastError").asText());
        assertEquals(1, body.get("deadLetters").size());
        assertTrue(body.get("deadLetters").get(0).get("redrivenAt").isNull());
        assertEquals(0, body.get("replays").size());
        assertFalse(body.has("payload"));
        assertFalse(shown.body().contains("bob@example.com"));

        HttpResponse<String> missing = get(BASE + "/stripe/evt_nothing_here");
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", JSON.readTree(missing.body()).get("error").asText());
        assertEquals(404, get(BASE + "/stripe/evt_nothing_here?payload=true").statusCode(),
                "no parameter turns a payload on");
    }

    @Test
    void redrive_one_then_many_bounded_by_the_limit_and_open_dead_letters_go_down() throws Exception {
        String type = type();
        for (int i = 0; i < 4; i++) {
            insert("evt_" + type + "_" + i, type, "dead", Instant.now().minus(Duration.ofMinutes(10 - i)), null);
            deadLetter("evt_" + type + "_" + i);
        }
        long open = openDeadLetters();

        HttpResponse<String> one = post(BASE + "/stripe/evt_" + type + "_0", null);
        assertEquals(200, one.statusCode(), one.body());
        assertEquals(1, JSON.readTree(one.body()).get("redriven").asInt());
        assertEquals("pending", state("evt_" + type + "_0"));
        assertEquals(open - 1, openDeadLetters());
        HttpResponse<String> again = post(BASE + "/stripe/evt_" + type + "_0", null);
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(JSON.readTree(again.body()).get("message").asText().contains("is pending, not a dead letter"));
        assertEquals(404, post(BASE + "/stripe/evt_nothing_here", null).statusCode());

        HttpResponse<String> many = post(BASE, "{\"all\":true,\"type\":\"" + type + "\",\"limit\":2}");
        assertEquals(200, many.statusCode(), many.body());
        assertEquals(2, JSON.readTree(many.body()).get("redriven").asInt(), "bounded by the limit");
        assertEquals("pending", state("evt_" + type + "_1"), "oldest first");
        assertEquals("dead", state("evt_" + type + "_3"));
        assertEquals(1, JSON.readTree(post(BASE, "{\"all\":true,\"type\":\"" + type + "\"}").body())
                .get("redriven").asInt());
        assertEquals(open - 4, openDeadLetters());
        assertEquals(0, JSON.readTree(post(BASE, "{\"all\":true,\"type\":\"" + type + "\"}").body())
                .get("redriven").asInt());
    }

    @Test
    void bad_arguments_answer_400_with_a_reason_never_500() throws Exception {
        assertBadRequest(get(BASE + "?state=zombie"), "state must be pending, processing, processed, failed or dead,"
                + " but was 'zombie'");
        assertBadRequest(get(BASE + "?limit=0"), "limit must be 1 to 10000, but was 0");
        assertBadRequest(get(BASE + "?limit=10001"), "limit must be 1 to 10000, but was 10001");
        assertEquals(400, get(BASE + "?limit=many").statusCode());
        assertBadRequest(get(BASE + "?olderThan=yesterday"), "olderThan must be a number and a unit");
        assertBadRequest(get(BASE + "?provider=" + "p".repeat(101)), "provider must be 1 to 100 characters");
        assertBadRequest(get(BASE + "?provider=%20"), "provider must be 1 to 100 characters");
        assertBadRequest(get(BASE + "?state=zombie&limit=0"), "but was 'zombie'");
        assertBadRequest(get(BASE + "?state=zombie&limit=0"), "limit must be 1 to 10000");
        assertBadRequest(get(BASE + "/stripe/" + "e".repeat(300)), "eventId must have 1 to 255");
        assertBadRequest(post(BASE, "{\"type\":\"invoice.paid\"}"), "pass \"all\":true");
        assertBadRequest(post(BASE, "{\"all\":true,\"limit\":0}"), "limit must be 1 to 10000");
        assertEquals(400, post(BASE, "{\"all\":true,\"limit\":\"lots\"}").statusCode());
    }

    @Test
    void the_backlog_gauges_are_registered_on_the_applications_registry() {
        assertEquals(2, meters.find(TollgateMeters.WEBHOOK_OLDEST_EVENT_AGE).gauges().size(), "pending and failed");
        double open = meters.get(TollgateMeters.WEBHOOK_DEAD_LETTERS_OPEN).gauge().value();
        assertFalse(Double.isNaN(open), "the database is readable");
        assertTrue(open >= 0);
    }

    private static void assertBadRequest(HttpResponse<String> response, String message) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("bad_request", body.get("error").asText(), response.body());
        assertTrue(body.get("message").asText().contains(message), body.get("message").asText());
    }

    private static String type() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private void insert(String id, String type, String state, Instant received, @Nullable String payload)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.events (provider, event_id, event_type, state, attempts, next_attempt_at,"
                        + " received_at, processed_at, last_error, payload)"
                        + " VALUES ('stripe', ?, ?, ?, 5, ?, ?, ?, ?, convert_to(?, 'UTF8'))")) {
            s.setString(1, id);
            s.setString(2, type);
            s.setString(3, state);
            s.setTimestamp(4, Timestamp.from(received));
            s.setTimestamp(5, Timestamp.from(received));
            s.setTimestamp(6, "processed".equals(state) ? Timestamp.from(received) : null);
            s.setString(7, "dead".equals(state) ? "java.lang.IllegalStateException: ledger unavailable" : null);
            s.setString(8, payload);
            s.executeUpdate();
        }
    }

    private void deadLetter(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO webhooks.dead_letter_queue (provider, event_id, event_type, attempts, last_error, dead_at)"
                        + " SELECT provider, event_id, event_type, attempts, last_error, received_at FROM webhooks.events"
                        + " WHERE provider = 'stripe' AND event_id = ?")) {
            s.setString(1, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    private String state(String id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT state FROM webhooks.events WHERE provider = 'stripe' AND event_id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), id);
                return rs.getString(1);
            }
        }
    }

    private long openDeadLetters() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM webhooks.dead_letter_queue WHERE redriven_at IS NULL");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, @Nullable String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path));
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
