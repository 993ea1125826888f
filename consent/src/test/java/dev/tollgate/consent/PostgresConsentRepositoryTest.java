package dev.tollgate.consent;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.consent.ConsentFixtures.T0;
import static dev.tollgate.consent.ConsentFixtures.count;
import static dev.tollgate.consent.ConsentFixtures.policy;
import static dev.tollgate.consent.ConsentFixtures.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.Secret;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@TollgatePostgres
class PostgresConsentRepositoryTest {

    private static final MutableClock CLOCK = MutableClock.at(T0.plus(Duration.ofDays(1)));
    private static final Secret KEY = Secret.of("fp_key_0123456789abcdef");
    private static ConsentService consent;

    @BeforeAll
    static void publish(DataSource ds) {
        consent = service(ds);
        consent.publishPolicy(policy("1.0", T0));
    }

    private static ConsentService service(DataSource ds) {
        return ConsentService.builder().repository(new PostgresConsentRepository(ds)).clock(CLOCK).fingerprintKey(KEY).build();
    }

    private static ConsentDecision.Builder decision(String subject) {
        return ConsentDecision.builder().subjectId(subject).policyVersion("1.0").source("banner");
    }

    @Test
    void freshDatabaseVerifiesAllPassInSqlAndJava(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM consent.verify_consent_schema()")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertEquals("PASS", rs.getString("status"), rs.getString("check_name") + ": " + rs.getString("detail"));
            }
            assertEquals(10, rows);
        }
        IntegrityReport report = consent.verifyIntegrity();
        assertTrue(report.passed() && report.warnings().isEmpty(), report.toString());
    }

    @Test
    void onlyNecessaryPersistsAcrossAReload(DataSource ds) throws SQLException {
        consent.record(decision("visitor-on").onlyNecessary().build());
        ConsentService afterReload = service(ds);
        ConsentRecord current = afterReload.currentConsent("visitor-on").orElseThrow();
        assertEquals(ConsentChoice.ONLY_NECESSARY, current.choice());
        assertEquals(Map.of("analytics", false, "marketing", false, "necessary", true), current.purposes());
        assertTrue(afterReload.isGranted("visitor-on", "necessary"));
        assertFalse(afterReload.isGranted("visitor-on", "analytics"));
        assertFalse(afterReload.needsReconsent("visitor-on"), "the banner must not appear after consent was given");
        assertEquals("only_necessary", string(ds, "SELECT choice FROM consent.records WHERE subject_id = 'visitor-on'"));
    }

    @Test
    void acceptAllPersistsEveryPurpose(DataSource ds) throws SQLException {
        consent.record(decision("visitor-all").acceptAll().build());
        ConsentRecord current = service(ds).currentConsent("visitor-all").orElseThrow();
        assertEquals(ConsentChoice.ACCEPT_ALL, current.choice());
        assertEquals(Map.of("analytics", true, "marketing", true, "necessary", true), current.purposes());
        assertEquals(1, count(ds, "SELECT count(*) FROM consent.records WHERE subject_id = 'visitor-all'"
                + " AND choice = 'accept_all'"
                + " AND purposes = '{\"necessary\": true, \"analytics\": true, \"marketing\": true}'::jsonb"));
    }

    @Test
    void customSettingsPersistAfterReload(DataSource ds) {
        consent.record(decision("visitor-custom").custom(Map.of("analytics", true)).build());
        ConsentService afterReload = service(ds);
        assertTrue(afterReload.isGranted("visitor-custom", "analytics"));
        assertFalse(afterReload.isGranted("visitor-custom", "marketing"), "left out means refused");
        assertEquals(ConsentChoice.CUSTOM, afterReload.currentConsent("visitor-custom").orElseThrow().choice());
    }

    @Test
    void withdrawalIsANewRecordAndAsEasyAsGranting(DataSource ds) throws SQLException {
        consent.record(decision("visitor-w").acceptAll().build());
        CLOCK.advance(Duration.ofMinutes(1));
        ConsentRecord one = consent.withdraw("visitor-w", "marketing", "settings");
        assertTrue(one.withdrawal());
        assertTrue(consent.isGranted("visitor-w", "analytics"), "other purposes are kept");
        assertFalse(consent.isGranted("visitor-w", "marketing"));
        CLOCK.advance(Duration.ofMinutes(1));
        ConsentRecord all = consent.withdraw("visitor-w", "settings");
        assertTrue(all.withdrawal());
        assertEquals(ConsentChoice.ONLY_NECESSARY, all.choice());
        assertFalse(consent.isGranted("visitor-w", "analytics"));
        assertEquals(3, count(ds, "SELECT count(*) FROM consent.records WHERE subject_id = 'visitor-w'"));
        assertEquals(List.of(false, true, true), consent.history("visitor-w").stream().map(ConsentRecord::withdrawal).toList());
        assertEquals(ConsentException.Reason.INVALID_INPUT,
                assertThrows(ConsentException.class, () -> consent.withdraw("visitor-w", "necessary", "settings")).reason());
    }

    @Test
    void badInputIsATypedErrorAndNothingIsWritten(DataSource ds) throws SQLException {
        long before = count(ds, "SELECT count(*) FROM consent.records");
        assertReason(ConsentException.Reason.UNKNOWN_POLICY_VERSION,
                () -> consent.record(decision("v").policyVersion("7.0").acceptAll().build()));
        assertReason(ConsentException.Reason.UNKNOWN_PURPOSE,
                () -> consent.record(decision("v").custom(Map.of("telepathy", true)).build()));
        assertReason(ConsentException.Reason.UNKNOWN_PURPOSE, () -> consent.isGranted("v", "telepathy"));
        assertReason(ConsentException.Reason.INVALID_INPUT,
                () -> consent.record(decision("v").custom(Map.of("necessary", false)).build()));
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> decision("").acceptAll().build());
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> decision("x".repeat(257)).acceptAll().build());
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> decision("v\u0000").acceptAll().build());
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> decision("v").acceptAll().userAgent("u".repeat(100_000)).build());
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> decision("v").policyVersion("1.0; DROP TABLE x").acceptAll().build());
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> decision("v").acceptAll().onlyNecessary().build());
        ConsentException all = assertThrows(ConsentException.class,
                () -> ConsentDecision.builder().subjectId(" ").policyVersion("1.0").custom(Map.of()).source("").build());
        assertTrue(all.getMessage().contains("subjectId") && all.getMessage().contains("custom choice")
                && all.getMessage().contains("source"), all.getMessage());
        assertEquals(before, count(ds, "SELECT count(*) FROM consent.records"));
    }

    @Test
    void aFuturePolicyCannotBeConsentedToYetAndDuplicatesAreRefused() {
        consent.publishPolicy(policy("1.5", T0.plus(Duration.ofDays(365))));
        assertReason(ConsentException.Reason.POLICY_NOT_IN_EFFECT,
                () -> consent.record(decision("v").policyVersion("1.5").acceptAll().build()));
        assertEquals("1.0", consent.currentPolicy().orElseThrow().version().toString());
        assertReason(ConsentException.Reason.DUPLICATE_VERSION, () -> consent.publishPolicy(policy("1.0", T0)));
        assertEquals(policy("1.0", T0), consent.policy("1.0").orElseThrow());
    }

    @Test
    void recordsAreAppendOnlyAndPoliciesImmutable(DataSource ds) {
        consent.record(decision("visitor-ao").acceptAll().build());
        for (String sql : List.of("UPDATE consent.records SET choice = 'only_necessary'", "DELETE FROM consent.records",
                "TRUNCATE consent.records", "UPDATE consent.policies SET shown_text = 'x'", "DELETE FROM consent.policies")) {
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(sql);
                }
            }, sql);
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
    }

    @Test
    void ipAndUserAgentAreStoredOnlyAsKeyedHashes(DataSource ds) throws SQLException {
        ConsentRecord r = consent.record(decision("visitor-fp").acceptAll().ipAddress("203.0.113.9")
                .userAgent("Mozilla/5.0 Test").build());
        assertEquals(64, r.ipHash().length());
        assertEquals(0, count(ds, "SELECT count(*) FROM consent.records WHERE ip_hash LIKE '%203.0%'"));
        assertFalse(r.toString().contains("visitor-fp"));
        ConsentService keyless = ConsentService.builder().repository(new PostgresConsentRepository(ds)).clock(CLOCK).build();
        assertReason(ConsentException.Reason.FINGERPRINT_KEY_MISSING,
                () -> keyless.record(decision("visitor-fp2").acceptAll().ipAddress("203.0.113.9").build()));
        assertTrue(consent.history("visitor-fp2").isEmpty());
    }

    @Test
    void exportGivesTheWholeHistoryAsJson() throws Exception {
        consent.record(decision("visitor-export").acceptAll().ipAddress("198.51.100.4").build());
        CLOCK.advance(Duration.ofSeconds(5));
        consent.withdraw("visitor-export", "settings");
        String json = consent.exportJson("visitor-export");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("visitor-export", root.get("subject_id").asText());
        assertEquals(2, root.get("records").size());
        assertEquals("accept_all", root.get("records").get(0).get("choice").asText());
        assertTrue(root.get("records").get(1).get("withdrawal").asBoolean());
        assertEquals("1.0", root.get("policies").get(0).get("version").asText());
        assertEquals(3, root.get("policies").get(0).get("purposes").size());
        assertFalse(json.contains("198.51.100.4"), json);
        assertEquals(0, new ObjectMapper().readTree(consent.exportJson("nobody")).get("records").size());
    }

    @Test
    void twoPoolsRecordingForOneSubjectAtOnceLoseNothing(TestDatabase db) throws Exception {
        ConsentService a = service(db.newPool(4));
        ConsentService b = service(db.newPool(4));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ConsentRecord>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ConsentService replica = i % 2 == 0 ? a : b;
                boolean all = i % 3 == 0;
                results.add(pool.submit(() -> {
                    start.await();
                    ConsentDecision.Builder d = decision("visitor-race");
                    return replica.record((all ? d.acceptAll() : d.onlyNecessary()).build());
                }));
            }
            start.countDown();
            for (Future<ConsentRecord> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(16, count(db.dataSource(), "SELECT count(*) FROM consent.records WHERE subject_id = 'visitor-race'"));
        long maxId = count(db.dataSource(), "SELECT max(id) FROM consent.records WHERE subject_id = 'visitor-race'");
        assertEquals(maxId, consent.currentConsent("visitor-race").orElseThrow().id(), "same time: the highest id wins");
        assertTrue(consent.verifyIntegrity().passed());
    }

    @Test
    void javaAndSqlAgreeOnTheHashOfANonAsciiPolicyText(DataSource ds) throws SQLException {
        String text = "Wir verwenden Cookies — für Statistik 📊 und Größenangaben. 日本語。";
        consent.publishPolicy(ConsentPolicy.builder().version("1.1").effectiveAt(T0)
                .purpose(Purpose.necessary("necessary", "Nötig")).purpose(Purpose.optional("analytics", "Statistik"))
                .purpose(Purpose.optional("marketing", "Werbung")).shownText(text).build());
        assertEquals(ConsentPolicy.sha256Of(text),
                string(ds, "SELECT encode(sha256(convert_to(shown_text, 'UTF8')), 'hex') FROM consent.policies WHERE version = '1.1'"));
        consent.record(decision("visitor-ü-😀").policyVersion("1.1").acceptAll().build());
        assertTrue(consent.isGranted("visitor-ü-😀", "marketing"));
        assertTrue(consent.verifyIntegrity().passed(), consent.verifyIntegrity().toString());
    }

    static void assertReason(ConsentException.Reason reason, Executable call) {
        assertEquals(reason, assertThrows(ConsentException.class, call).reason());
    }
}
