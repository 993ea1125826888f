package dev.tollgate.legal;

import static dev.tollgate.legal.LegalFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link LegalRepository} keeps. Each test uses its own document kinds and users, so an
 * implementation may share state between tests.
 */
abstract class LegalRepositoryContract {

    /** @return the repository under test */
    protected abstract LegalRepository repository();

    private final String ns = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final DocumentKind terms = DocumentKind.of(ns + "-terms");
    private final DocumentKind privacy = DocumentKind.of(ns + "-privacy");

    private LegalDocument doc(DocumentKind kind, String version, Instant effective) {
        return LegalDocument.builder().kind(kind).version(version).title("T " + version).effectiveAt(effective)
                .content(kind + " " + version).build();
    }

    private NewAcceptance acceptance(String user, DocumentKind kind, String version) {
        return new NewAcceptance(ns + user, kind, version, null, T0.plusNanos(123_456_789), "test", null, null);
    }

    @Test
    @DisplayName("published versions round-trip, sorted by effective date, and never change")
    void publishAndRead() {
        LegalRepository repo = repository();
        LegalDocument v2 = doc(terms, "2.0", T0.plus(Duration.ofDays(2)));
        LegalDocument v1 = doc(terms, "1.0", T0);
        repo.publish(v2);
        repo.publish(v1);
        assertEquals(List.of(v1, v2), repo.versions(terms));
        assertEquals(v2, repo.find(terms, "2.0").orElseThrow());
        assertTrue(repo.find(terms, "3.0").isEmpty());
        assertTrue(repo.kinds().contains(terms));
        LegalException e = assertThrows(LegalException.class, () -> repo.publish(doc(terms, "1.0", T0)));
        assertEquals(LegalException.Reason.DUPLICATE_VERSION, e.reason());
        assertEquals(v1, repo.find(terms, "1.0").orElseThrow());
    }

    @Test
    @DisplayName("a batch is stored whole or not at all, each acceptance with one audit row")
    void batchesAreAtomic() {
        LegalRepository repo = repository();
        repo.publish(doc(terms, "1.0", T0));
        repo.publish(doc(privacy, "1.0", T0));
        long head = repo.checkpoint(T0).seq();
        LegalException unknown = assertThrows(LegalException.class, () -> repo.record(List.of(
                acceptance("u", terms, "1.0"), acceptance("u", privacy, "2.0"))));
        assertEquals(LegalException.Reason.UNKNOWN_DOCUMENT, unknown.reason());
        LegalException changed = assertThrows(LegalException.class, () -> repo.record(List.of(
                new NewAcceptance(ns + "u", terms, "1.0", "0".repeat(64), T0, "test", null, null))));
        assertEquals(LegalException.Reason.DOCUMENT_CHANGED, changed.reason());
        assertEquals(List.of(), repo.acceptances(ns + "u"));
        assertEquals(head, repo.checkpoint(T0).seq());

        List<Acceptance> stored = repo.record(List.of(acceptance("u", terms, "1.0"), acceptance("u", privacy, "1.0")));
        assertEquals(stored, repo.acceptances(ns + "u"));
        assertEquals(T0.plusNanos(123_456_000), stored.get(0).acceptedAt(), "stored to the microsecond");
        assertEquals(LegalDocument.sha256Of(terms + " 1.0"), stored.get(0).contentSha256());
        List<AuditEntry> rows = repo.auditLog(head, 10);
        assertEquals(2, rows.size());
        assertEquals(stored.get(0).id(), rows.get(0).acceptanceId());
        assertEquals(AuditEntry.ACCEPTANCE_EVENT, rows.get(1).eventType());
        assertEquals(rows.get(0).rowHash(), rows.get(1).prevHash());
        assertEquals(head + 2, repo.checkpoint(T0).seq());
    }

    @Test
    @DisplayName("the chain head is a checkpoint that still verifies later and a made-up one does not")
    void checkpoints() {
        LegalRepository repo = repository();
        repo.publish(doc(terms, "1.0", T0));
        repo.record(List.of(acceptance("a", terms, "1.0")));
        AuditChainCheckpoint checkpoint = repo.checkpoint(T0);
        repo.record(List.of(acceptance("b", terms, "1.0")));
        assertTrue(repo.verifyCheckpoint(checkpoint).passed());
        assertFalse(repo.verifyCheckpoint(new AuditChainCheckpoint(checkpoint.seq(), "f".repeat(64), T0)).passed());
        assertFalse(repo.verifyCheckpoint(new AuditChainCheckpoint(checkpoint.seq() + 1000, "f".repeat(64), T0)).passed());
        assertTrue(repo.verifyIntegrity().passed(), repo.verifyIntegrity().toString());
    }

    @Test
    @DisplayName("concurrent acceptances of one document by one user give one gap-free, linked chain")
    void concurrentAcceptances() throws Exception {
        LegalRepository repo = repository();
        repo.publish(doc(terms, "1.0", T0));
        long head = repo.checkpoint(T0).seq();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<Acceptance>>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return repo.record(List.of(acceptance("same-user", terms, "1.0")));
                }));
            }
            start.countDown();
            for (Future<List<Acceptance>> r : results) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditEntry> rows = repo.auditLog(head, 100);
        assertEquals(12, rows.size());
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(rows.get(i - 1).seq() + 1, rows.get(i).seq());
            assertEquals(rows.get(i - 1).rowHash(), rows.get(i).prevHash());
        }
        assertEquals(12, repo.acceptances(ns + "same-user").size());
        assertTrue(repo.verifyIntegrity().passed());
    }
}
