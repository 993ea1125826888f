package dev.tollgate.consent;

import static dev.tollgate.consent.ConsentFixtures.T0;
import static dev.tollgate.consent.ConsentFixtures.policy;
import static dev.tollgate.consent.ConsentFixtures.tamper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.evidence.ChainEntry;
import dev.tollgate.evidence.ChainKey;
import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.ChainVerification;
import dev.tollgate.evidence.ChainVerifier;
import dev.tollgate.evidence.CheckpointSigner;
import dev.tollgate.evidence.Checkpointer;
import dev.tollgate.evidence.FileCheckpointSink;
import dev.tollgate.evidence.SignedCheckpoint;
import dev.tollgate.internal.ChainCodec;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.testkit.internal.ProofCheck;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed record chain and signed checkpoints against someone who owns the tables: two records written by a
 * service without chain keys (chain_seq 1, 2), then six keyed ones (3 to 8), signed checkpoints at 4 and at 8.
 */
class ConsentEvidenceTest {

    static final ChainKey K1 = ChainKey.of("k1", Secret.of("consent-chain-key-one-0123456789abcdef"));
    static final ChainKey K2 = ChainKey.of("k2", Secret.of("consent-chain-key-two-0123456789abcdef"));

    @TempDir
    Path checkpointDir;

    private TestDatabase db;
    private KeyPair signing;
    private MutableClock clock;
    private PostgresConsentRepository keyed;
    private ConsentService consent;
    private Checkpointer checkpointer;

    @BeforeEach
    void twoPlainRecordsThenSixKeyed() throws NoSuchAlgorithmException {
        db = TestPostgres.shared().createDatabase().migrate();
        signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        clock = MutableClock.at(T0.plus(Duration.ofDays(1)));
        ConsentService plain = service(new PostgresConsentRepository(db.dataSource()));
        plain.publishPolicy(policy("1.0", T0));
        record(plain, "early-1", true);
        record(plain, "early-2", false);
        keyed = new PostgresConsentRepository(db.dataSource(), ChainKeys.of(K1));
        consent = service(keyed);
        checkpointer = Checkpointer.builder().stream(keyed.evidence())
                .signer(CheckpointSigner.of("cp1", signing.getPrivate()))
                .sink(new FileCheckpointSink(checkpointDir)).clock(clock).interval(Duration.ofMinutes(10)).build();
        record(consent, "s3", true);
        record(consent, "s4", false);
        assertEquals(4, checkpointer.checkpointNow().get(0).seq());
        for (int i = 5; i <= 8; i++) {
            record(consent, "s" + i, i % 2 == 1);
        }
        assertEquals(8, checkpointer.checkpointNow().get(0).seq());
        assertTrue(consent.verifyIntegrity().passed(), consent.verifyIntegrity().toString());
        ChainVerification clean = verifier(ChainKeys.of(K1)).verify(keyed.evidence(), checkpoints());
        assertTrue(clean.valid(), clean.toString());
        assertEquals(8, clean.rowsChecked());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private ConsentService service(ConsentRepository repository) {
        return ConsentService.builder().repository(repository).clock(clock).build();
    }

    private void record(ConsentService service, String subject, boolean analytics) {
        clock.advance(Duration.ofMinutes(1));
        service.record(ConsentDecision.builder().subjectId(subject).policyVersion("1.0").source("banner")
                .custom(Map.of("analytics", analytics)).build());
    }

    private List<SignedCheckpoint> checkpoints() {
        return FileCheckpointSink.read(checkpointDir, "consent");
    }

    private ChainVerifier verifier(ChainKeys keys) {
        ChainVerifier.Builder b = ChainVerifier.builder().publicKey("cp1", signing.getPublic());
        return keys == null ? b.build() : b.chainKeys(keys).build();
    }

    private ChainVerification failsAt(long seq) {
        ChainVerification result = verifier(ChainKeys.of(K1)).verify(keyed.evidence(), checkpoints());
        assertFalse(result.valid(), "tampering went unnoticed: " + result);
        assertEquals(OptionalLong.of(seq), result.firstBadSeq(), result.toString());
        return result;
    }

    /** Recomputes every public chain hash, which needs no key, as the table's owner could. */
    private void recomputePublicHashes() throws SQLException {
        List<ChainEntry> rows = new ArrayList<>();
        keyed.evidence().forEachEntry(rows::add);
        String previous = ChainCodec.GENESIS;
        List<String> updates = new ArrayList<>();
        for (ChainEntry e : rows) {
            if (e.keyed()) {
                previous = ChainCodec.link(previous, ChainCodec.digest(ChainCodec.canonical("consent", e.fields())));
                updates.add("UPDATE consent.records SET chain_hash = '" + previous + "' WHERE chain_seq = " + e.seq());
            }
        }
        tamper(db.dataSource(), updates.toArray(String[]::new));
    }

    @Test
    void anAdministratorWhoRewritesARecordAndRecomputesEveryPlainHashPassesSqlButNotTheCheckpoints()
            throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.records SET purposes = purposes || '{\"analytics\": false}'"
                + " WHERE chain_seq = 5");
        recomputePublicHashes();

        assertTrue(consent.verifyIntegrity().passed(), "the documented limit of the SQL verifier: "
                + consent.verifyIntegrity());
        assertTrue(failsAt(5).detail().contains("row 5 does not match its keyed chain value"));
        ChainVerification publicOnly = verifier(null).verify(keyed.evidence(), checkpoints());
        assertEquals(OptionalLong.of(5), publicOnly.firstBadSeq(), publicOnly.toString());
        assertTrue(publicOnly.detail().contains("rows 5 to 8 differ from the checkpoint"), publicOnly.detail());
    }

    @Test
    void deletedReorderedAndInsertedRecordsAreNamed() throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.records SET chain_seq = 1000 WHERE chain_seq = 5",
                "UPDATE consent.records SET chain_seq = 5 WHERE chain_seq = 6",
                "UPDATE consent.records SET chain_seq = 6 WHERE chain_seq = 1000");
        failsAt(5);
        tamper(db.dataSource(), "DELETE FROM consent.records WHERE chain_seq = 6");
        assertTrue(failsAt(5).detail().contains("row 5"), "still the first bad one");
        tamper(db.dataSource(), "DELETE FROM consent.records WHERE chain_seq = 5");
        assertTrue(failsAt(5).detail().contains("row 5 is missing"));
    }

    @Test
    void aRecordInsertedInTheMiddleIsNamed() throws SQLException {
        tamper(db.dataSource(), "UPDATE consent.records SET chain_seq = chain_seq + 100 WHERE chain_seq >= 6",
                "UPDATE consent.records SET chain_seq = chain_seq - 99 WHERE chain_seq >= 106",
                "INSERT INTO consent.records (subject_id, policy_version, choice, purposes, source, recorded_at,"
                        + " chain_seq, chain_key_id, chain_mac, chain_hash) SELECT 'mallory', policy_version, choice,"
                        + " purposes, source, recorded_at, 6, chain_key_id, chain_mac, chain_hash FROM consent.records"
                        + " WHERE chain_seq = 5");
        failsAt(6);
    }

    @Test
    void deletedNewestRecordsAreCaughtByTheCheckpoint() throws SQLException {
        tamper(db.dataSource(), "DELETE FROM consent.records WHERE chain_seq >= 7");
        assertTrue(consent.verifyIntegrity().passed());
        assertTrue(failsAt(7).detail().contains("newest rows deleted"));
    }

    @Test
    void aRecordWithoutAPlaceInTheChainIsFound() throws SQLException {
        assertThrows(SQLException.class, () -> tamper(db.dataSource(), "INSERT INTO consent.records (subject_id,"
                + " policy_version, choice, purposes, source, recorded_at) VALUES ('mallory', '1.0', 'accept_all',"
                + " '{\"necessary\": true, \"analytics\": true}', 'banner', now())"), "refused by the constraint");
        tamper(db.dataSource(), "ALTER TABLE consent.records DROP CONSTRAINT records_chain_seq_required",
                "INSERT INTO consent.records (subject_id, policy_version, choice, purposes, source, recorded_at)"
                        + " VALUES ('mallory', '1.0', 'accept_all', '{\"necessary\": true, \"analytics\": true}',"
                        + " 'banner', now())");
        ChainVerification result = verifier(ChainKeys.of(K1)).verify(keyed.evidence(), checkpoints());
        assertFalse(result.valid());
        assertTrue(result.detail().contains("have no chain_seq"), result.detail());
    }

    @Test
    void rotatedKeysKeepOlderRecordsVerifiable() {
        PostgresConsentRepository rotated = new PostgresConsentRepository(db.dataSource(), ChainKeys.of(K2, K1));
        record(service(rotated), "after-rotation", true);
        checkpointer.checkpointNow();
        assertTrue(verifier(ChainKeys.of(K2, K1)).verify(rotated.evidence(), checkpoints()).valid());
        ChainVerification oldOnly = verifier(ChainKeys.of(K1)).verify(rotated.evidence(), checkpoints());
        assertEquals(OptionalLong.of(9), oldOnly.firstBadSeq(), oldOnly.toString());
    }

    @Test
    void concurrentKeyedWritersOnTwoPoolsMakeOneChain() throws Exception {
        try (var poolA = db.newPool(4); var poolB = db.newPool(4)) {
            List<ConsentService> services = List.of(
                    service(new PostgresConsentRepository(poolA, ChainKeys.of(K1))),
                    service(new PostgresConsentRepository(poolB, ChainKeys.of(K1))));
            var executor = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    ConsentService writer = services.get(t % 2);
                    int thread = t;
                    done.add(executor.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            writer.record(ConsentDecision.builder().subjectId("w" + thread + "-" + i)
                                    .policyVersion("1.0").source("banner").acceptAll().build());
                        }
                    }));
                }
                for (var f : done) {
                    f.get();
                }
            } finally {
                executor.shutdown();
            }
        }
        checkpointer.checkpointNow();
        ChainVerification result = verifier(ChainKeys.of(K1)).verify(keyed.evidence(), checkpoints());
        assertTrue(result.valid(), result.toString());
        assertEquals(8 + 200, result.rowsChecked());
    }

    @Test
    void proofOfASubjectsHistoryVerifiesWithTheJdkAlone() throws Exception {
        record(consent, "s5", false);   // seq 9: s5 withdraws analytics
        checkpointer.checkpointNow();
        String proof = keyed.exportProof("s5", checkpoints());
        assertFalse(proof.contains("\"s6\"") || proof.contains("consent-chain-key"), proof);
        assertEquals(List.of(5L, 9L), ProofCheck.verify(proof, signing.getPublic()));
        String edited = proof.replace("\\\"analytics\\\": false", "\\\"analytics\\\": true");
        assertFalse(edited.equals(proof));
        assertThrows(ProofCheck.InvalidProof.class, () -> ProofCheck.verify(edited, signing.getPublic()));
    }
}
