package dev.tollgate.legal;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Service rules on the in-memory repository (the same rules hold on PostgreSQL, see PostgresLegalRepositoryTest). */
class LegalServiceTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final InMemoryLegalRepository repository = new InMemoryLegalRepository();
    private final LegalService legal = LegalService.builder().repository(repository).clock(clock).build();

    private void accept(String user, DocumentKind kind, String version) {
        legal.accept(AcceptanceRequest.builder().userId(user).source("test").document(kind, version).build());
    }

    private List<String> pending(String user) {
        return legal.pendingAcceptances(user).stream()
                .map(p -> p.document().kind() + " " + p.document().version() + " " + p.reason()).toList();
    }

    @Test
    void minorChangesDoNotAskAgainButMajorOnesDo() {
        legal.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
        legal.publish(doc(DocumentKind.IMPRINT, "1.0", T0, false));
        assertEquals(List.of("terms 1.0 NOT_ACCEPTED"), pending("u"), "imprint is not an acceptance kind; privacy not published");
        accept("u", DocumentKind.TERMS, "1.0");
        assertEquals(List.of(), pending("u"));

        legal.publish(doc(DocumentKind.TERMS, "1.1", T0.plus(Duration.ofDays(1)), false));
        legal.publish(doc(DocumentKind.TERMS, "2.0", T0.plus(Duration.ofDays(10)), true));
        clock.advance(Duration.ofDays(2));
        assertEquals("1.1", legal.currentDocument(DocumentKind.TERMS).orElseThrow().version());
        assertEquals(List.of(), pending("u"), "a minor change does not force re-acceptance");

        clock.advance(Duration.ofDays(10));
        assertEquals(List.of("terms 2.0 REACCEPTANCE_REQUIRED"), pending("u"));
        assertEquals("1.0", legal.pendingAcceptances("u").get(0).acceptedVersion());
        accept("u", DocumentKind.TERMS, "2.0");
        assertEquals(List.of(), pending("u"));
    }

    @Test
    void aFutureVersionIsNotInEffectYet() {
        Instant future = T0.plus(Duration.ofDays(30));
        legal.publish(doc(DocumentKind.PRIVACY, "1.0", future, true));
        assertTrue(legal.currentDocument(DocumentKind.PRIVACY).isEmpty());
        assertEquals(List.of(), pending("u"));
        clock.set(future);
        assertEquals(List.of("privacy 1.0 NOT_ACCEPTED"), pending("u"));
    }

    @Test
    void theInMemoryRepositoryKeepsAChainThatVerifiesAndIsAllOrNothing() {
        legal.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
        legal.publish(doc(DocumentKind.PRIVACY, "1.0", T0, true));
        accept("a", DocumentKind.TERMS, "1.0");
        AuditChainCheckpoint checkpoint = legal.checkpoint();
        accept("b", DocumentKind.PRIVACY, "1.0");
        assertThrows(LegalException.class, () -> legal.accept(AcceptanceRequest.builder().userId("c").source("t")
                .document(DocumentKind.TERMS, "1.0").document(DocumentKind.PRIVACY, "7").build()));
        assertEquals(List.of(), legal.acceptances("c"));
        assertEquals(2, repository.auditLog(0, 100).size());
        assertEquals(repository.auditLog(0, 1).get(0).rowHash(), repository.auditLog(1, 1).get(0).prevHash());
        assertTrue(legal.verifyIntegrity().passed());
        assertTrue(legal.verifyCheckpoint(checkpoint).passed());
        assertFalse(legal.verifyCheckpoint(new AuditChainCheckpoint(9, "0".repeat(64), T0)).passed());
    }

    @Test
    void configurationProblemsAreReportedTogether() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LegalService.builder().build());
        assertTrue(e.getMessage().contains("repository") && e.getMessage().contains("clock"), e.getMessage());
    }

    @Test
    void theFingerprintKeyNeverShowsInToString() {
        LegalService withKey = LegalService.builder().repository(repository).clock(clock)
                .fingerprintKey(Secret.of("fp_supersecretvalue123456")).build();
        assertFalse(withKey.toString().contains("supersecret"), withKey.toString());
        AcceptanceRequest request = AcceptanceRequest.builder().userId("alice@example.com").source("s")
                .document(DocumentKind.TERMS, "1").ipAddress("198.51.100.1").userAgent("UA").build();
        assertFalse(request.toString().contains("alice") || request.toString().contains("198.51"), request.toString());
    }

    @Test
    void aDocumentBuilderReportsEveryProblem() {
        LegalException e = assertThrows(LegalException.class, () -> LegalDocument.builder().build());
        assertTrue(e.getMessage().contains("kind, version, title, effectiveAt, content"), e.getMessage());
        LegalException bad = assertThrows(LegalException.class, () -> LegalDocument.builder().kind(DocumentKind.TERMS)
                .version("").title("").language("english!").effectiveAt(T0).content(" ").build());
        for (String field : List.of("version", "title", "language", "content")) {
            assertTrue(bad.getMessage().contains(field), bad.getMessage());
        }
        assertEquals(LegalException.Reason.INVALID_INPUT, assertThrows(LegalException.class, () -> LegalDocument.builder()
                .kind(DocumentKind.TERMS).version("1").title("t").effectiveAt(T0)
                .content("x".repeat(LegalDocument.MAX_CONTENT_LENGTH + 1)).build()).reason());
    }
}
