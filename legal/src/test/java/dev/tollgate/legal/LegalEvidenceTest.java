package dev.tollgate.legal;

import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.doc;
import static dev.tollgate.legal.LegalFixtures.tamper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.TollgateException;
import dev.tollgate.evidence.ChainEntry;
import dev.tollgate.evidence.ChainKey;
import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.ChainVerification;
import dev.tollgate.evidence.ChainVerifier;
import dev.tollgate.evidence.CheckpointSigner;
import dev.tollgate.evidence.Checkpointer;
import dev.tollgate.evidence.FileCheckpointSink;
import dev.tollgate.evidence.LogCheckpointSink;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed audit chain and signed checkpoints against someone who can write the database: two rows written before
 * the chain keys were configured (seq 1, 2), then six keyed rows (seq 3 to 8), a signed checkpoint at seq 4 and one
 * at seq 8 in a directory outside the database.
 */
class LegalEvidenceTest {

    static final ChainKey K1 = ChainKey.of("k1", Secret.of("legal-chain-key-one-0123456789abcdef"));
    static final ChainKey K2 = ChainKey.of("k2", Secret.of("legal-chain-key-two-0123456789abcdef"));

    @TempDir
    Path checkpointDir;

    private TestDatabase db;
    private KeyPair signing;
    private MutableClock clock;
    private PostgresLegalRepository keyed;
    private LegalService legal;
    private Checkpointer checkpointer;

    @BeforeEach
    void twoPlainRowsThenSixKeyed() throws NoSuchAlgorithmException {
        db = TestPostgres.shared().createDatabase().migrate();
        signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        clock = MutableClock.at(T0.plus(Duration.ofDays(1)));
        LegalService plain = service(new PostgresLegalRepository(db.dataSource()));
        plain.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
        plain.publish(doc(DocumentKind.PRIVACY, "1.0", T0, true));
        accept(plain, "early-1");
        accept(plain, "early-2");
        keyed = new PostgresLegalRepository(db.dataSource(), ChainKeys.of(K1));
        legal = service(keyed);
        checkpointer = Checkpointer.builder().stream(keyed.evidence())
                .signer(CheckpointSigner.of("cp1", signing.getPrivate()))
                .sink(new FileCheckpointSink(checkpointDir)).sink(new LogCheckpointSink())
                .clock(clock).interval(Duration.ofMinutes(10)).build();
        accept(legal, "user-3");
        accept(legal, "user-4");
        assertEquals(4, checkpointer.checkpointNow().get(0).seq());
        for (int i = 5; i <= 8; i++) {
            accept(legal, "user-" + i);
        }
        assertEquals(8, checkpointer.checkpointNow().get(0).seq());
        assertTrue(legal.verifyIntegrity().passed(), legal.verifyIntegrity().toString());
        ChainVerification clean = verifier(true).verify(keyed.evidence(), checkpoints());
        assertTrue(clean.valid(), clean.toString());
        assertEquals(8, clean.rowsChecked());
        assertEquals(2, clean.checkpointsMatched());
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private LegalService service(LegalRepository repository) {
        return LegalService.builder().repository(repository).clock(clock).build();
    }

    private void accept(LegalService service, String user) {
        clock.advance(Duration.ofMinutes(1));
        service.accept(AcceptanceRequest.builder().userId(user).source("signup").document(DocumentKind.TERMS, "1.0")
                .build());
    }

    private List<SignedCheckpoint> checkpoints() {
        return FileCheckpointSink.read(checkpointDir, "legal");
    }

    private ChainVerifier verifier(boolean withChainKeys) {
        ChainVerifier.Builder b = ChainVerifier.builder().publicKey("cp1", signing.getPublic());
        if (withChainKeys) {
            b.chainKeys(ChainKeys.of(K1));
        }
        return b.build();
    }

    private ChainVerification failsAt(long seq, boolean withChainKeys) {
        ChainVerification result = verifier(withChainKeys).verify(keyed.evidence(), checkpoints());
        assertFalse(result.valid(), "tampering went unnoticed: " + result);
        assertEquals(OptionalLong.of(seq), result.firstBadSeq(), result.toString());
        return result;
    }

    /** What someone who owns the tables can do without the chain key: recompute every hash that needs no key. */
    private void recomputePlainHashesFrom(long seq) throws SQLException {
        tamper(db.dataSource(), "DO $$ DECLARE r record; prev text; BEGIN"
                + " SELECT row_hash INTO prev FROM legal.audit_log WHERE seq = " + (seq - 1) + ";"
                + " FOR r IN SELECT * FROM legal.audit_log WHERE seq >= " + seq + " ORDER BY seq LOOP"
                + " UPDATE legal.audit_log SET prev_hash = prev, row_hash = legal.audit_row_hash_v2(seq, event_type,"
                + " subject_id, acceptance_id, details, occurred_at, prev) WHERE seq = r.seq RETURNING row_hash INTO prev;"
                + " END LOOP; END $$");
        List<ChainEntry> rows = new ArrayList<>();
        keyed.evidence().forEachEntry(rows::add);
        String previous = ChainCodec.GENESIS;
        List<String> updates = new ArrayList<>();
        for (ChainEntry e : rows) {
            if (e.keyed()) {
                previous = ChainCodec.link(previous, ChainCodec.digest(ChainCodec.canonical("legal", e.fields())));
                updates.add("UPDATE legal.audit_log SET chain_hash = '" + previous + "' WHERE seq = " + e.seq());
            }
        }
        tamper(db.dataSource(), updates.toArray(String[]::new));
    }

    @Test
    void anAdministratorWhoRewritesARowAndRecomputesEveryPlainHashPassesSqlButNotTheCheckpoints() throws SQLException {
        tamper(db.dataSource(),
                "UPDATE legal.acceptances SET user_id = 'mallory' WHERE id = (SELECT acceptance_id FROM legal.audit_log"
                        + " WHERE seq = 5)",
                "UPDATE legal.audit_log SET subject_id = 'mallory' WHERE seq = 5");
        recomputePlainHashesFrom(5);

        assertTrue(legal.verifyIntegrity().passed(), "the documented limit of the SQL verifier: "
                + legal.verifyIntegrity());
        ChainVerification keyedResult = failsAt(5, true);
        assertTrue(keyedResult.detail().contains("row 5 does not match its keyed chain value"), keyedResult.detail());
        // with the public key alone: the checkpoint at seq 4 still matches, the one at 8 does not
        ChainVerification publicOnly = failsAt(5, false);
        assertTrue(publicOnly.detail().contains("rows 5 to 8 differ from the checkpoint"), publicOnly.detail());
    }

    @Test
    void aWholeChainRecomputedWithALeakedKeyIsCaughtByTheSignedCheckpoints() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.audit_log SET details = jsonb_set(details, '{source}', '\"forged\"')"
                + " WHERE seq = 6");
        recomputePlainHashesFrom(6);
        List<ChainEntry> rows = new ArrayList<>();
        keyed.evidence().forEachEntry(rows::add);
        String previous = ChainCodec.GENESIS;
        List<String> updates = new ArrayList<>();
        for (ChainEntry e : rows) {
            if (e.keyed()) {
                previous = ChainCodec.mac(K1.secret().revealBytes(), previous,
                        ChainCodec.canonical("legal", e.fields()));
                updates.add("UPDATE legal.audit_log SET chain_mac = '" + previous + "' WHERE seq = " + e.seq());
            }
        }
        tamper(db.dataSource(), updates.toArray(String[]::new));

        ChainVerification result = failsAt(5, true);
        assertTrue(result.detail().contains("rows 5 to 8 differ from the checkpoint") && result.detail()
                .contains("rotate it"), result.detail());
    }

    @Test
    void aDeletedMiddleRowIsNamed() throws SQLException {
        tamper(db.dataSource(), "DELETE FROM legal.audit_log WHERE seq = 6");
        assertTrue(failsAt(6, true).detail().contains("row 6 is missing"));
    }

    @Test
    void deletedNewestRowsPassTheChainButNotTheCheckpoint() throws SQLException {
        tamper(db.dataSource(), "DELETE FROM legal.audit_log WHERE seq >= 7",
                "DELETE FROM legal.acceptances WHERE id NOT IN (SELECT acceptance_id FROM legal.audit_log)");
        assertTrue(legal.verifyIntegrity().passed(), legal.verifyIntegrity().toString());
        assertTrue(failsAt(7, true).detail().contains("newest rows deleted"));
    }

    @Test
    void anInsertedRowIsNamed() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.audit_log SET seq = seq + 100 WHERE seq >= 6",
                "UPDATE legal.audit_log SET seq = seq - 99 WHERE seq >= 106",
                "INSERT INTO legal.audit_log (seq, event_type, subject_id, details, occurred_at, prev_hash, row_hash,"
                        + " hash_version, chain_key_id, chain_mac, chain_hash) SELECT 6, 'legal.note', 'mallory', '{}',"
                        + " occurred_at, row_hash, row_hash, 2, 'k1', chain_mac, chain_hash FROM legal.audit_log"
                        + " WHERE seq = 5");
        failsAt(6, true);
    }

    @Test
    void reorderedRowsAreNamed() throws SQLException {
        tamper(db.dataSource(), "UPDATE legal.audit_log SET seq = 1000 WHERE seq = 5",
                "UPDATE legal.audit_log SET seq = 5 WHERE seq = 6",
                "UPDATE legal.audit_log SET seq = 6 WHERE seq = 1000");
        failsAt(5, true);
    }

    @Test
    void aRowWrittenWithoutTheKeyAfterKeyedRowsIsNamed() {
        accept(service(new PostgresLegalRepository(db.dataSource())), "unkeyed");
        assertTrue(failsAt(9, true).detail().contains("no keyed chain value"));
    }

    @Test
    void anAlteredCheckpointIsRefusedBeforeAnyRowIsRead() {
        List<SignedCheckpoint> forged = new ArrayList<>();
        for (SignedCheckpoint c : checkpoints()) {
            forged.add(new SignedCheckpoint(c.stream(), c.seq() + 1, c.mac(), c.hash(), c.takenAt(), c.keyId(),
                    c.signature()));
        }
        ChainVerification result = verifier(true).verify(keyed.evidence(), forged);
        assertFalse(result.valid());
        assertEquals(OptionalLong.empty(), result.firstBadSeq());
        assertTrue(result.detail().contains("signature does not verify"), result.detail());
    }

    @Test
    void rotatedKeysKeepOlderRowsVerifiable() {
        PostgresLegalRepository rotated = new PostgresLegalRepository(db.dataSource(), ChainKeys.of(K2, K1));
        accept(service(rotated), "after-rotation-1");
        accept(service(rotated), "after-rotation-2");
        checkpointer.checkpointNow();
        List<String> keyIds = new ArrayList<>();
        rotated.evidence().forEachEntry(e -> keyIds.add(String.valueOf(e.keyId())));
        assertEquals(List.of("null", "null", "k1", "k1", "k1", "k1", "k1", "k1", "k2", "k2"), keyIds);

        ChainVerification both = ChainVerifier.builder().publicKey("cp1", signing.getPublic())
                .chainKeys(ChainKeys.of(K2, K1)).build().verify(rotated.evidence(), checkpoints());
        assertTrue(both.valid(), both.toString());
        ChainVerification newOnly = ChainVerifier.builder().publicKey("cp1", signing.getPublic())
                .chainKeys(ChainKeys.of(K2)).build().verify(rotated.evidence(), checkpoints());
        assertEquals(OptionalLong.of(3), newOnly.firstBadSeq(), newOnly.toString());
        assertTrue(newOnly.detail().contains("chain key k1, which is not among the keys given"), newOnly.detail());
    }

    @Test
    void aKeyedRowForAStaleHeadIsRefusedByTheTrigger() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO legal.audit_log (seq, event_type, subject_id,"
                     + " details, occurred_at, chain_key_id, chain_mac, chain_hash) VALUES (3, 'legal.note', 'x', '{}',"
                     + " now(), 'k1', repeat('a', 64), repeat('b', 64))")) {
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("40001", e.getSQLState(), e.getMessage());
        }
    }

    @Test
    void proofOfAUsersAcceptancesVerifiesWithTheJdkAlone() throws Exception {
        accept(legal, "user-5");   // seq 9, user-5's second acceptance
        checkpointer.checkpointNow();
        String proof = keyed.exportProof("user-5", checkpoints());
        assertTrue(proof.contains("\"subject\":\"user-5\"") && !proof.contains("user-6") && !proof.contains("legal-chain-key"),
                "names the user, no one else, no key: " + proof);
        assertEquals(List.of(5L, 9L), ProofCheck.verify(proof, signing.getPublic()));

        String edited = proof.replace("signup", "forged");
        assertThrows(ProofCheck.InvalidProof.class, () -> ProofCheck.verify(edited, signing.getPublic()));
        assertThrows(ProofCheck.InvalidProof.class, () -> ProofCheck.verify(proof,
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()));
        assertThrows(TollgateException.class, () -> keyed.exportProof("early-1", checkpoints()),
                "rows from before the keys have no proof");
    }

    @Test
    void theCheckpointerRefusesAnIncompleteConfigurationNamingEveryProblem() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checkpointer.builder().interval(Duration.ofMillis(10)).build());
        for (String problem : List.of("no stream", "no signer", "no sink", "no clock", "at least 1 s")) {
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }
    }

    @Test
    void noKeyInToStringOrCheckpoints() {
        String all = keyed + " " + checkpointer + " " + ChainKeys.of(K2, K1) + " " + K1 + " "
                + CheckpointSigner.of("cp1", signing.getPrivate()) + " " + checkpoints();
        assertFalse(all.contains("legal-chain-key"), all);
        assertFalse(all.contains(java.util.Base64.getEncoder().encodeToString(signing.getPrivate().getEncoded())),
                all);
    }

    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
