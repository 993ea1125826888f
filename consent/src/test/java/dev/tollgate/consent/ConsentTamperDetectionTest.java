package dev.tollgate.consent;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.consent.ConsentFixtures.T0;
import static dev.tollgate.consent.ConsentFixtures.policy;
import static dev.tollgate.consent.ConsentFixtures.tamper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each test gets its own database with three records (1 only necessary, 2 accept all, 3 custom), breaks it, expects FAIL. */
class ConsentTamperDetectionTest {

    private TestDatabase db;
    private ConsentService consent;

    @BeforeEach
    void threeRecords() {
        db = TestPostgres.shared().createDatabase().migrate();
        consent = ConsentService.builder().repository(new PostgresConsentRepository(db.dataSource()))
                .clock(MutableClock.at(T0.plus(Duration.ofDays(1)))).build();
        consent.publishPolicy(policy("1.0", T0));
        ConsentDecision.Builder base = ConsentDecision.builder().policyVersion("1.0").source("banner");
        consent.record(ConsentDecision.builder().subjectId("s1").policyVersion("1.0").source("banner").onlyNecessary().build());
        consent.record(ConsentDecision.builder().subjectId("s2").policyVersion("1.0").source("banner").acceptAll().build());
        consent.record(base.subjectId("s3").custom(Map.of("analytics", true)).build());
        IntegrityReport report = consent.verifyIntegrity();
        assertTrue(report.passed(), report.toString());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private String failure(String check) {
        IntegrityReport report = consent.verifyIntegrity();
        assertFalse(report.passed(), "tampering went unnoticed: " + report);
        IntegrityCheck c = report.check(check);
        assertEquals(IntegrityCheck.Status.FAIL, c.status(), report.toString());
        return c.detail();
    }

    @Test
    void aRefusedNecessaryPurposeFailsNamingTheRecord() throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.records SET purposes = purposes || '{\"necessary\": false}' WHERE id = 3");
        assertTrue(failure("necessary_purposes_granted").contains("record 3"));
    }

    @Test
    void aChoiceThatDisagreesWithItsPurposesFails() throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.records SET purposes = purposes || '{\"marketing\": false}' WHERE id = 2",
                "UPDATE consent.records SET purposes = purposes || '{\"analytics\": true}' WHERE id = 1");
        String detail = failure("choice_matches_purposes");
        assertTrue(detail.contains("record 1") && detail.contains("record 2"), detail);
    }

    @Test
    void purposesThatAreNotThePolicysFail() throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.records SET purposes = purposes - 'marketing' || '{\"mindreading\": true}' WHERE id = 3");
        assertTrue(failure("record_purposes_match_policy").contains("record 3"));
    }

    @Test
    void aRecordWithoutPolicyFails() throws SQLException {
        tamper(db.dataSource(), "ALTER TABLE consent.records DROP CONSTRAINT records_policy_version_fkey",
                "UPDATE consent.records SET policy_version = '9.9' WHERE id = 2");
        assertTrue(failure("records_have_policy").contains("record 2"));
    }

    @Test
    void aRawIpAddressFails() throws SQLException {
        tamper(db.dataSource(), "ALTER TABLE consent.records DROP CONSTRAINT records_ip_hash_check",
                "UPDATE consent.records SET ip_hash = '203.0.113.5' WHERE id = 1");
        String detail = failure("fingerprints_hashed");
        assertTrue(detail.contains("record 1") && !detail.contains("203.0"), detail);
    }

    @Test
    void anEditedPolicyTextFails() throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.policies SET shown_text = 'We sell your data.'");
        assertTrue(failure("policy_text_hashes").contains("1.0"));
    }

    @Test
    void missingTriggersAndIndexesFail() throws SQLException {
        ConsentFixtures.execute(db.dataSource(), "ALTER TABLE consent.records DISABLE TRIGGER records_append_only",
                "DROP INDEX consent.records_subject_idx");
        assertTrue(failure("append_only_triggers").contains("records_append_only"));
        assertTrue(failure("indexes_present").contains("records_subject_idx"));
    }
}
