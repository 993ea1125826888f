package dev.tollgate.consent;

import static dev.tollgate.consent.ConsentFixtures.T0;
import static dev.tollgate.consent.ConsentFixtures.policy;
import static dev.tollgate.consent.ConsentFixtures.tamper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.evidence.ChainKey;
import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.ChainVerification;
import dev.tollgate.evidence.ChainVerifier;
import dev.tollgate.evidence.CheckpointSigner;
import dev.tollgate.evidence.SignedCheckpoint;
import dev.tollgate.internal.ChainCodec;
import dev.tollgate.internal.JdbcChain;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * 10⁵ keyed consent records verified against a signed checkpoint in one pass (the figure in the module README comes
 * from this test's output; nothing here asserts a duration), then one record in the middle edited.
 */
class ConsentChainScaleTest {

    private static final int ROWS = 100_000;
    private static final int PER_STATEMENT = 1000;
    private static final ChainKey KEY = ChainKey.of("k1", Secret.of("consent-scale-key-0123456789abcdef0123"));

    @Test
    void aHundredThousandRecordsVerifyAndOneEditIsNamed() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            PostgresConsentRepository repository = new PostgresConsentRepository(db.dataSource(), ChainKeys.of(KEY));
            ConsentService.builder().repository(repository).clock(MutableClock.at(T0)).build()
                    .publishPolicy(policy("1.0", T0));
            insertKeyedRecords(db, repository);

            KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            SignedCheckpoint checkpoint = CheckpointSigner.of("cp1", signing.getPrivate())
                    .sign(repository.evidence().head(), T0.plus(Duration.ofDays(1)));
            assertEquals(ROWS, checkpoint.seq());
            ChainVerifier verifier = ChainVerifier.builder().publicKey("cp1", signing.getPublic())
                    .chainKeys(ChainKeys.of(KEY)).build();

            long start = System.nanoTime();
            ChainVerification clean = verifier.verify(repository.evidence(), List.of(checkpoint));
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("tollgate.evidence.scale rows=" + ROWS + " verify_ms=" + millis);
            assertTrue(clean.valid(), clean.toString());
            assertEquals(ROWS, clean.rowsChecked());

            tamper(db.dataSource(), "UPDATE consent.records SET source = 'forged' WHERE chain_seq = 73456");
            ChainVerification tampered = verifier.verify(repository.evidence(), List.of(checkpoint));
            assertFalse(tampered.valid());
            assertEquals(OptionalLong.of(73456), tampered.firstBadSeq(), tampered.toString());
        }
    }

    /** Writes the records in large statements, with chain values computed here exactly as the repository does. */
    private static void insertKeyedRecords(TestDatabase db, PostgresConsentRepository repository) throws Exception {
        String purposes;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ?::jsonb::text")) {
            ps.setString(1, "{\"necessary\":true,\"analytics\":true}");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                purposes = rs.getString(1);
            }
        }
        JdbcChain chain = (JdbcChain) repository.evidence();
        String mac = ChainCodec.GENESIS;
        String hash = ChainCodec.GENESIS;
        StringBuilder values = new StringBuilder();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int seq = 1; seq <= ROWS; seq++) {
                Instant at = T0.plusNanos(seq * 1000L);
                String subject = "subject-" + (seq % 5000);
                JdbcChain.Link link = chain.link(KEY, new JdbcChain.Next(seq, mac, hash), List.of(subject, "1.0",
                        "accept_all", purposes, "false", "bulk", ChainCodec.time(at), "", ""));
                mac = link.mac();
                hash = link.hash();
                values.append(values.length() == 0 ? "" : ",").append("('").append(subject).append("','1.0',")
                        .append("'accept_all','").append(purposes).append("'::jsonb,false,'bulk','")
                        .append(ChainCodec.time(at)).append("'::timestamptz,").append(seq).append(",'k1','")
                        .append(mac).append("','").append(hash).append("')");
                if (seq % PER_STATEMENT == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO consent.records (subject_id,"
                            + " policy_version, choice, purposes, withdrawal, source, recorded_at, chain_seq,"
                            + " chain_key_id, chain_mac, chain_hash) VALUES " + values)) {
                        ps.executeUpdate();
                    }
                    values.setLength(0);
                }
            }
            c.commit();
        }
    }
}
