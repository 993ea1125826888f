package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Secret;
import dev.tollgate.consent.ConsentPolicy;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.PostgresConsentRepository;
import dev.tollgate.consent.Purpose;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A consent choice is recorded under the policy version the page showed: when a new major version is
 * published between page load and click, the record names the old one and the answer asks for a new
 * choice; a version the server never published, or a malformed one, is refused with 400.
 */
@TollgatePostgres
class DemoConsentPolicyChangeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SettableClock clock;
    private static TestDatabase database;
    private static DemoService demo;
    private static HttpClient http;

    @BeforeAll
    static void startDemo(TestDatabase testDatabase) {
        database = testDatabase;
        clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        DemoSettings settings = new DemoSettings("127.0.0.1", 0, database.jdbcUrl(), database.user(),
                Secret.of(database.password()), false, Secret.of("whsec_policy_change_0123456789abcdef"),
                Secret.of("rc_policy_change_secret_42"), false, Map.of(), clock);
        demo = DemoService.start(settings, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    private static HttpResponse<String> postConsent(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.port() + "/api/consent"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChoiceMadeOnAPageShowingAnOlderMajorVersionIsRecordedAsShownAndAsksAgain() throws Exception {
        String subject = "subject_policy_change";
        HttpResponse<String> before = postConsent("{\"subject_id\":\"" + subject + "\",\"choice\":\"accept_all\","
                + "\"policy_version\":\"1.0\"}");
        assertEquals(201, before.statusCode(), before.body());
        assertEquals("1.0", JSON.readTree(before.body()).path("version").asText());
        assertFalse(JSON.readTree(before.body()).path("needs_reconsent").asBoolean(true));

        // The operator publishes 2.0 while the subject's page still shows 1.0.
        clock.advance(Duration.ofSeconds(1));
        ConsentService.builder().repository(new PostgresConsentRepository(database.dataSource())).clock(clock).build()
                .publishPolicy(ConsentPolicy.builder().version("2.0").effectiveAt(clock.instant())
                        .shownText(DemoSeed.BANNER_TEXT)
                        .purpose(Purpose.necessary("necessary", "Sign-in, security and remembering this choice"))
                        .purpose(Purpose.optional("analytics", "Counting visits to improve the service"))
                        .purpose(Purpose.optional("marketing", "Showing our offers on other sites"))
                        .build());
        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> stale = postConsent("{\"subject_id\":\"" + subject + "\",\"choice\":\"only_necessary\","
                + "\"policy_version\":\"1.0\"}");
        assertEquals(201, stale.statusCode(), stale.body());
        JsonNode staleRecord = JSON.readTree(stale.body());
        assertEquals("1.0", staleRecord.path("version").asText(), "recorded under the version the page showed");
        assertTrue(staleRecord.path("needs_reconsent").asBoolean(false), "and the page is told to ask again");

        HttpResponse<String> current = postConsent("{\"subject_id\":\"" + subject + "\",\"choice\":\"only_necessary\","
                + "\"policy_version\":\"2.0\"}");
        assertEquals(201, current.statusCode(), current.body());
        assertEquals("2.0", JSON.readTree(current.body()).path("version").asText());
        assertFalse(JSON.readTree(current.body()).path("needs_reconsent").asBoolean(true));

        HttpResponse<String> apiClient = postConsent("{\"subject_id\":\"subject_api_client\",\"choice\":\"accept_all\"}");
        assertEquals("2.0", JSON.readTree(apiClient.body()).path("version").asText(), "no version: the current one");

        // A policy scheduled for tomorrow is refused, and neither its version nor its date is given away.
        Instant tomorrow = clock.instant().plus(Duration.ofDays(1));
        ConsentService.builder().repository(new PostgresConsentRepository(database.dataSource())).clock(clock).build()
                .publishPolicy(ConsentPolicy.builder().version("3.0").effectiveAt(tomorrow)
                        .shownText(DemoSeed.BANNER_TEXT)
                        .purpose(Purpose.necessary("necessary", "Sign-in, security and remembering this choice"))
                        .build());
        HttpResponse<String> early = postConsent("{\"subject_id\":\"" + subject + "\",\"choice\":\"accept_all\","
                + "\"policy_version\":\"3.0\"}");
        assertEquals(409, early.statusCode(), early.body());
        assertEquals("policy_not_in_effect", JSON.readTree(early.body()).path("error").asText());
        assertFalse(early.body().contains("3.0") || early.body().contains(tomorrow.toString().substring(0, 10)),
                early.body());
    }

    @Test
    void aPolicyVersionThatIsMalformedOrNeverPublishedIs400() throws Exception {
        Map<String, String> cases = Map.of(
                "\"policy_version\":\"one\"", "invalid_policy_version",
                "\"policy_version\":7", "invalid_policy_version",
                "\"policy_version\":\"99999999999.0\"", "invalid_policy_version",
                "\"policy_version\":\"9.0\"", "unknown_policy_version");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = postConsent("{\"subject_id\":\"s_bad_version\",\"choice\":\"accept_all\","
                    + c.getKey() + "}");
            assertEquals(400, r.statusCode(), c.getKey() + " -> " + r.body());
            assertEquals(c.getValue(), JSON.readTree(r.body()).path("error").asText(), c.getKey());
            assertFalse(r.body().contains("99999999999") || r.body().contains("9.0"), "the value is not echoed: "
                    + r.body());
        }
    }
}
