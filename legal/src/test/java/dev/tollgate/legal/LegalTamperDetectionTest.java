package dev.tollgate.legal;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.doc;
import static dev.tollgate.legal.LegalFixtures.tamper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.SQLException;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each test gets its own database with five acceptances, breaks it directly in SQL, and expects FAIL naming the row. */
class LegalTamperDetectionTest {

    private TestDatabase db;
    private LegalService legal;

    @BeforeEach
    void fiveAcceptances() {
        db = TestPostgres.shared().createDatabase().migrate();
        legal = LegalService.builder().repository(new PostgresLegalRepository(db.dataSource()))
                .clock(MutableClock.at(T0.plus(Duration.ofDays(1)))).build();
        legal.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
        legal.publish(doc(DocumentKind.PRIVACY, "1.0", T0, true));
        for (int i = 1; i <= 5; i++) {
            legal.accept(AcceptanceRequest.builder().userId("user-" + i).source("signup")
                    .document(i % 2 == 0 ? DocumentKind.PRIVACY : DocumentKind.TERMS, "1.0").build());
        }
        IntegrityReport report = legal.verifyIntegrity();
        assertTrue(report.passed(), report.toString());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private String failure(String check) {
        IntegrityReport report = legal.verifyIntegrity();
        assertFalse(report.passed(), "tampering went unnoticed: " + report);
        IntegrityCheck c = report.check(check);
        assertEquals(IntegrityCheck.Status.FAIL, c.status(), report.failures().stream().map(IntegrityCheck::toString)
                .collect(Collectors.joining("\n")));
        return c.detail();
    }

    @Test
    void anEditedAuditRowFailsNamingTheRow() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.audit_log SET subject_id = 'someone-else' WHERE seq = 3");
        String detail = failure("audit_chain_links");
        assertTrue(detail.contains("row 3: content does not match row_hash"), detail);
        assertTrue(failure("acceptances_have_audit_rows").contains("acceptance 3"));
    }

    @Test
    void anEditedAuditRowWithARecomputedOwnHashStillBreaksTheNextLink() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.audit_log SET occurred_at = occurred_at - interval '1 day',"
                + " row_hash = legal.audit_row_hash_v2(seq, event_type, subject_id, acceptance_id, details,"
                + " occurred_at - interval '1 day', prev_hash) WHERE seq = 2");
        String detail = failure("audit_chain_links");
        assertTrue(detail.contains("row 3: prev_hash does not match"), detail);
    }

    @Test
    void aDeletedMiddleRowFailsNamingWhereTheGapIs() throws SQLException {
        tamper(db.dataSource(), "DELETE FROM legal.audit_log WHERE seq = 2");
        String detail = failure("audit_chain_links");
        assertTrue(detail.contains("row 3: expected seq 2"), detail);
        assertTrue(failure("acceptances_have_audit_rows").contains("acceptance 2"));
    }

    @Test
    void reorderedRowsFailNamingThem() throws SQLException {
        tamper(db.dataSource(),
                "UPDATE legal.audit_log SET seq = -1 WHERE seq = 2",
                "UPDATE legal.audit_log SET seq = 2 WHERE seq = 4",
                "UPDATE legal.audit_log SET seq = 4 WHERE seq = -1");
        String detail = failure("audit_chain_links");
        assertTrue(detail.contains("row 2:") && detail.contains("row 4:"), detail);
    }

    @Test
    void anEditedDocumentFailsBothDocumentAndAcceptanceHashChecks() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.documents SET content = 'We may now do anything.' WHERE kind = 'terms'");
        assertTrue(failure("document_hashes").contains("terms 1.0"));
        tamper(db.dataSource(), "UPDATE legal.documents SET content_sha256 = encode(sha256(convert_to(content, 'UTF8')), 'hex')"
                + " WHERE kind = 'terms'");
        assertTrue(failure("acceptance_hashes_match_documents").contains("acceptance 1"));
    }

    @Test
    void anAcceptanceWrittenWithoutItsAuditRowFails() throws SQLException {
        tamper(db.dataSource(), "INSERT INTO legal.acceptances (user_id, document_kind, document_version, content_sha256,"
                + " accepted_at, source) SELECT 'sneaky', kind, version, content_sha256, now(), 'sql' FROM legal.documents"
                + " WHERE kind = 'terms'");
        assertTrue(failure("acceptances_have_audit_rows").contains("acceptance 6"));
    }

    /** The cross-check before migration V3: an audit row with the acceptance's id and user, nothing more. */
    private long unmatchedByIdAndSubjectOnly() throws SQLException {
        return LegalFixtures.count(db.dataSource(), "SELECT count(*) FROM legal.acceptances a WHERE NOT EXISTS ("
                + "SELECT 1 FROM legal.audit_log l WHERE l.acceptance_id = a.id AND l.event_type = 'legal.acceptance'"
                + " AND l.subject_id = a.user_id)");
    }

    @Test
    void aBackdatedAcceptanceThatTheIdAndSubjectCrossCheckMissedFails() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.acceptances SET accepted_at = accepted_at - interval '30 days' WHERE id = 3");
        assertEquals(0, unmatchedByIdAndSubjectOnly(), "the old cross-check sees nothing wrong");
        String detail = failure("acceptances_have_audit_rows");
        assertTrue(detail.contains("acceptance 3 (audit row 3 differs in accepted_at)"), detail);
        assertEquals(IntegrityCheck.Status.PASS, legal.verifyIntegrity().check("audit_chain_links").status(),
                "the chain itself is intact: only the cross-check can tell");
    }

    @Test
    void anAcceptanceMovedToAnotherDocumentVersionFailsEvenWithAMatchingHash() throws SQLException {
        legal.publish(doc(DocumentKind.TERMS, "2.0", T0.plus(Duration.ofHours(1)), true));
        tamper(db.dataSource(), "UPDATE legal.acceptances SET document_version = '2.0', content_sha256 ="
                + " (SELECT content_sha256 FROM legal.documents WHERE kind = 'terms' AND version = '2.0') WHERE id = 1");
        assertEquals(0, unmatchedByIdAndSubjectOnly(), "the old cross-check sees nothing wrong");
        assertEquals(IntegrityCheck.Status.PASS, legal.verifyIntegrity().check("acceptance_hashes_match_documents")
                .status(), "the acceptance names a real version with its real hash");
        String detail = failure("acceptances_have_audit_rows");
        assertTrue(detail.contains("acceptance 1 (audit row 1 differs in document_version, content_sha256)"), detail);
    }

    @Test
    void aRowDowngradedToTheOldHashFormulaFails() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.audit_log SET hash_version = 1, row_hash = legal.audit_row_hash(seq,"
                + " event_type, subject_id, acceptance_id, details, occurred_at, prev_hash) WHERE seq = 5");
        String detail = failure("audit_chain_links");
        assertTrue(detail.contains("row 5: hash version 1 after a row of version 2 (downgraded)"), detail);
    }

    @Test
    void disabledTriggersFail() throws SQLException {
        LegalFixtures.execute(db.dataSource(), "ALTER TABLE legal.audit_log DISABLE TRIGGER audit_log_append_only");
        assertTrue(failure("append_only_triggers").contains("audit_log_append_only"));
    }

    @Test
    void deletingTheNewestRowsIsOnlySeenAgainstAnExternalCheckpoint() throws SQLException {
        AuditChainCheckpoint checkpoint = AuditChainCheckpoint.parse(legal.checkpoint().export());
        assertEquals(5, checkpoint.seq());
        assertTrue(legal.verifyCheckpoint(checkpoint).passed());

        tamper(db.dataSource(), "DELETE FROM legal.audit_log WHERE seq >= 4", "DELETE FROM legal.acceptances WHERE id >= 4");
        IntegrityReport chainOnly = legal.verifyIntegrity();
        assertTrue(chainOnly.passed(), "the documented limit: a truncated chain still verifies " + chainOnly);

        IntegrityReport against = legal.verifyCheckpoint(checkpoint);
        assertFalse(against.passed());
        assertTrue(against.check("audit_checkpoint").detail().contains("row 5 is missing"),
                against.check("audit_checkpoint").detail());
    }

    @Test
    void aRewrittenChainFailsTheCheckpoint() throws SQLException {
        AuditChainCheckpoint checkpoint = legal.checkpoint();
        tamper(db.dataSource(), "UPDATE legal.audit_log SET row_hash = repeat('a', 64) WHERE seq = 5");
        assertTrue(legal.verifyCheckpoint(checkpoint).check("audit_checkpoint").detail().contains("no longer has"));
    }
}
