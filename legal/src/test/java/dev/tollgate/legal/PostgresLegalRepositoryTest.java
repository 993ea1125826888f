package dev.tollgate.legal;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.count;
import static dev.tollgate.legal.LegalFixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class PostgresLegalRepositoryTest {

    private static final MutableClock CLOCK = MutableClock.at(T0.plus(Duration.ofDays(1)));
    private static LegalService legal;

    @BeforeAll
    static void publish(DataSource ds) {
        legal = LegalService.builder().repository(new PostgresLegalRepository(ds)).clock(CLOCK)
                .fingerprintKey(Secret.of("fp_key_0123456789abcdef")).build();
        legal.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
        legal.publish(doc(DocumentKind.PRIVACY, "1.0", T0, true));
        legal.publish(doc(DocumentKind.IMPRINT, "1.0", T0, false));
    }

    @Test
    void freshDatabaseVerifiesAllPassInSqlAndJava(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM legal.verify_legal_acceptance_integrity()")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertEquals("PASS", rs.getString("status"), rs.getString("check_name") + ": " + rs.getString("detail"));
            }
            assertTrue(rows >= 7, "expected every check, got " + rows);
        }
        IntegrityReport report = legal.verifyIntegrity();
        assertTrue(report.passed(), report.toString());
        assertTrue(report.warnings().isEmpty(), report.toString());
    }

    @Test
    void acceptanceIsRecordedWithItsAuditRowInTheSameTransaction(DataSource ds) throws SQLException {
        List<Acceptance> stored = legal.accept(AcceptanceRequest.builder().userId("user-audit").source("signup")
                .document(DocumentKind.TERMS, "1.0").build());
        long id = stored.get(0).id();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.user_id, a.document_version, l.event_type, l.subject_id, l.details->>'document_kind'"
                        + " FROM legal.acceptances a JOIN legal.audit_log l ON l.acceptance_id = a.id WHERE a.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "audit row missing");
                assertEquals("user-audit", rs.getString(1));
                assertEquals("1.0", rs.getString(2));
                assertEquals("legal.acceptance", rs.getString(3));
                assertEquals("user-audit", rs.getString(4));
                assertEquals("terms", rs.getString(5));
            }
        }
        assertEquals(LegalDocument.sha256Of("terms version 1.0\n\nSecond paragraph <b>&</b>."), stored.get(0).contentSha256());
        assertTrue(legal.verifyIntegrity().passed());
    }

    @Test
    void severalDocumentsAtOnceAndThenNothingIsPending() {
        String user = "user-several";
        assertEquals(List.of(DocumentKind.TERMS, DocumentKind.PRIVACY),
                legal.pendingAcceptances(user).stream().map(p -> p.document().kind()).toList());
        AcceptanceRequest.Builder request = AcceptanceRequest.builder().userId(user).source("signup");
        legal.pendingAcceptances(user).forEach(p -> request.document(p.document()));
        assertEquals(2, legal.accept(request.build()).size());
        assertEquals(List.of(), legal.pendingAcceptances(user));
        assertEquals(2, legal.acceptances(user).size());
    }

    @Test
    void oneUnknownVersionInABatchWritesNothing(DataSource ds) throws SQLException {
        long before = count(ds, "SELECT count(*) FROM legal.acceptances") + count(ds, "SELECT count(*) FROM legal.audit_log");
        LegalException e = assertThrows(LegalException.class, () -> legal.accept(AcceptanceRequest.builder()
                .userId("user-batch").source("signup")
                .document(DocumentKind.TERMS, "1.0").document(DocumentKind.PRIVACY, "9.9").build()));
        assertEquals(LegalException.Reason.UNKNOWN_DOCUMENT, e.reason());
        assertEquals(before, count(ds, "SELECT count(*) FROM legal.acceptances") + count(ds, "SELECT count(*) FROM legal.audit_log"));
        assertEquals(List.of(), legal.acceptances("user-batch"));
    }

    @Test
    void acceptingATextOtherThanTheStoredOneIsRefused() {
        LegalException e = assertThrows(LegalException.class, () -> legal.accept(AcceptanceRequest.builder()
                .userId("user-changed").source("signup").document(DocumentKind.TERMS, "1.0", "ab".repeat(32)).build()));
        assertEquals(LegalException.Reason.DOCUMENT_CHANGED, e.reason());
        assertEquals(List.of(), legal.acceptances("user-changed"));
    }

    @Test
    void badInputIsATypedErrorNamingEveryProblemAndNothingIsWritten(DataSource ds) throws SQLException {
        long before = count(ds, "SELECT count(*) FROM legal.acceptances");
        LegalException e = assertThrows(LegalException.class, () -> AcceptanceRequest.builder().userId(" ")
                .source("").userAgent("x".repeat(5000)).document(DocumentKind.TERMS, "1.0")
                .document(DocumentKind.TERMS, "1.0").build());
        assertEquals(LegalException.Reason.INVALID_INPUT, e.reason());
        for (String part : List.of("userId", "source", "userAgent", "named twice")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertEquals(LegalException.Reason.INVALID_INPUT, assertThrows(LegalException.class,
                () -> AcceptanceRequest.builder().userId("u".repeat(257)).source("s").document(DocumentKind.TERMS, "1.0")
                        .build()).reason());
        assertEquals(LegalException.Reason.INVALID_INPUT, assertThrows(LegalException.class,
                () -> AcceptanceRequest.builder().userId("u").source("s").build()).reason());
        assertEquals(LegalException.Reason.UNKNOWN_DOCUMENT, assertThrows(LegalException.class,
                () -> legal.accept(AcceptanceRequest.builder().userId("u").source("s")
                        .document(DocumentKind.TERMS, "1.0'; DROP TABLE legal.documents; --").build())).reason());
        assertEquals(LegalException.Reason.INVALID_INPUT,
                assertThrows(LegalException.class, () -> DocumentKind.of("Terms & Conditions")).reason());
        assertEquals(before, count(ds, "SELECT count(*) FROM legal.acceptances"));
    }

    @Test
    void publishingAVersionTwiceIsRefusedAndDocumentsRoundTrip() {
        LegalException e = assertThrows(LegalException.class, () -> legal.publish(doc(DocumentKind.TERMS, "1.0", T0, false)));
        assertEquals(LegalException.Reason.DUPLICATE_VERSION, e.reason());
        LegalDocument stored = legal.document(DocumentKind.TERMS, "1.0").orElseThrow();
        assertEquals(doc(DocumentKind.TERMS, "1.0", T0, true), stored);
    }

    @Test
    void ipAndUserAgentAreStoredOnlyAsKeyedHashes(DataSource ds) throws SQLException {
        Acceptance a = legal.accept(AcceptanceRequest.builder().userId("user-fp").source("signup")
                .document(DocumentKind.PRIVACY, "1.0").ipAddress("203.0.113.7").userAgent("Mozilla/5.0 Test").build()).get(0);
        assertNotNull(a.ipHash());
        assertEquals(64, a.ipHash().length());
        assertEquals(0, count(ds, "SELECT count(*) FROM legal.acceptances WHERE ip_hash LIKE '%203.0.113%'"
                + " OR user_agent_hash LIKE '%Mozilla%'"));
        assertEquals(0, count(ds, "SELECT count(*) FROM legal.audit_log WHERE details::text LIKE '%203.0.113%'"));
        assertFalse(a.toString().contains("user-fp"));

        LegalService keyless = LegalService.builder().repository(new PostgresLegalRepository(ds)).clock(CLOCK).build();
        LegalException e = assertThrows(LegalException.class, () -> keyless.accept(AcceptanceRequest.builder()
                .userId("user-fp2").source("signup").document(DocumentKind.PRIVACY, "1.0").ipAddress("203.0.113.7").build()));
        assertEquals(LegalException.Reason.FINGERPRINT_KEY_MISSING, e.reason());
        assertEquals(List.of(), legal.acceptances("user-fp2"));
    }

    @Test
    void recordsAreAppendOnlyAndDocumentsImmutable(DataSource ds) {
        legal.accept(AcceptanceRequest.builder().userId("user-append").source("s").document(DocumentKind.TERMS, "1.0").build());
        for (String sql : List.of("UPDATE legal.acceptances SET user_id = 'x'", "DELETE FROM legal.acceptances",
                "UPDATE legal.audit_log SET subject_id = 'x'", "DELETE FROM legal.audit_log", "TRUNCATE legal.audit_log CASCADE",
                "UPDATE legal.documents SET content = 'x'", "DELETE FROM legal.documents")) {
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(sql);
                }
            }, sql);
            assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
    }

    @Test
    void twoPoolsAcceptingAtOnceProduceOneConsistentChain(TestDatabase db) throws Exception {
        LegalService replicaA = LegalService.builder().repository(new PostgresLegalRepository(db.newPool(4))).clock(CLOCK).build();
        LegalService replicaB = LegalService.builder().repository(new PostgresLegalRepository(db.newPool(4))).clock(CLOCK).build();
        long before = count(db.dataSource(), "SELECT count(*) FROM legal.audit_log");
        int perReplica = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Acceptance>>> results = new ArrayList<>();
            for (int i = 0; i < perReplica * 2; i++) {
                LegalService replica = i % 2 == 0 ? replicaA : replicaB;
                Callable<List<Acceptance>> task = () -> {
                    start.await();
                    return replica.accept(AcceptanceRequest.builder().userId("user-concurrent").source("double-click")
                            .document(DocumentKind.TERMS, "1.0").build());
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<List<Acceptance>> result : results) {
                assertEquals(1, result.get(60, TimeUnit.SECONDS).size());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + perReplica * 2, count(db.dataSource(), "SELECT count(*) FROM legal.audit_log"));
        assertEquals(count(db.dataSource(), "SELECT max(seq) FROM legal.audit_log"),
                count(db.dataSource(), "SELECT count(*) FROM legal.audit_log"));
        IntegrityReport report = legal.verifyIntegrity();
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void theSqlVerifierReportsAMissingFunctionAsAFailureInsteadOfThrowing(DataSource ds) {
        IntegrityReport report = SqlIntegrityVerifier.of(ds, "legal.no_such_function").verify();
        assertFalse(report.passed());
        assertEquals(SqlIntegrityVerifier.UNAVAILABLE_CHECK, report.checks().get(0).name());
        assertEquals(IntegrityCheck.Status.FAIL, report.checks().get(0).status());
    }

    @Test
    void theSqlVerifierKeepsRowOrderAndTreatsUnknownStatusesAsFailures(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA verifier_test");
            s.execute("CREATE FUNCTION verifier_test.checks() RETURNS TABLE(check_name text, status text, detail text)"
                    + " LANGUAGE sql AS $$ VALUES ('a', 'PASS', 'ok'), ('b', 'warn', 'hm'), ('c', 'OK', 'odd'),"
                    + " (NULL, 'FAIL', NULL) $$");
        }
        IntegrityReport report = SqlIntegrityVerifier.of(ds, "verifier_test.checks").verify();
        assertEquals(List.of("a", "b", "c", "unnamed_check"), report.checks().stream().map(IntegrityCheck::name).toList());
        assertEquals(List.of(IntegrityCheck.Status.PASS, IntegrityCheck.Status.WARN, IntegrityCheck.Status.FAIL,
                IntegrityCheck.Status.FAIL), report.checks().stream().map(IntegrityCheck::status).toList());
        assertTrue(report.check("c").detail().contains("unknown status 'OK'"), report.check("c").detail());
        assertFalse(report.passed());
    }

    @Test
    void javaAndSqlAgreeOnTheHashOfNonAsciiContentOfMaximumSize(DataSource ds) throws SQLException {
        String head = "Müller & Søn — 日本語 😀 \r\n\n";
        String content = head + "x".repeat(LegalDocument.MAX_CONTENT_LENGTH - head.length());
        LegalDocument big = LegalDocument.builder().kind(DocumentKind.of("big")).version("1").title("Big")
                .language("de").effectiveAt(T0).content(content).build();
        legal.publish(big);
        assertEquals(big, legal.document(DocumentKind.of("big"), "1").orElseThrow());
        assertEquals(big.contentSha256(), SingleValue.sha256(ds, "SELECT encode(sha256(convert_to(content, 'UTF8')), 'hex')"
                + " FROM legal.documents WHERE kind = 'big'"));
        legal.accept(AcceptanceRequest.builder().userId("用户-1").source("signup").document(big).build());
        IntegrityReport report = legal.verifyIntegrity();
        assertTrue(report.passed(), report.toString());
        assertEquals(LegalException.Reason.INVALID_INPUT, assertThrows(LegalException.class, () -> LegalDocument.builder()
                .kind(DocumentKind.of("big")).version("2").title("Big").effectiveAt(T0).content(content + "x").build()).reason());
        assertEquals(LegalException.Reason.INVALID_INPUT, assertThrows(LegalException.class, () -> LegalDocument.builder()
                .kind(DocumentKind.of("big")).version("3").title("Big").effectiveAt(T0).content("a\u0000b").build()).reason());
    }

    /** One-value queries. */
    private static final class SingleValue {
        static String sha256(DataSource ds, String sql) throws SQLException {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
