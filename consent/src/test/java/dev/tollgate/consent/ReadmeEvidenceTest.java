package dev.tollgate.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.evidence.ChainKey;
import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.ChainVerification;
import dev.tollgate.evidence.ChainVerifier;
import dev.tollgate.evidence.CheckpointSigner;
import dev.tollgate.evidence.Checkpointer;
import dev.tollgate.evidence.FileCheckpointSink;
import dev.tollgate.evidence.LogCheckpointSink;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.internal.ProofCheck;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet of consent/README.md "Evidence that survives the database administrator", as written there. */
@TollgatePostgres
class ReadmeEvidenceTest {

    @TempDir
    Path dir;

    @Test
    void evidence(DataSource dataSource) throws Exception {
        SchemaMigrator.forModules("consent").migrate(dataSource);
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PrivateKey ed25519PrivateKey = pair.getPrivate();
        PublicKey publicKey = pair.getPublic();
        String subjectId = "readme-evidence-subject";
        // --- README (the key from the environment there) ---
        ChainKeys keys = ChainKeys.of(ChainKey.of("k2026", Secret.of("readme-chain-key-0123456789abcdef0123")));
        PostgresConsentRepository repository = new PostgresConsentRepository(dataSource, keys);
        Checkpointer checkpointer = Checkpointer.builder()
                .stream(repository.evidence())
                .signer(CheckpointSigner.of("cp2026", ed25519PrivateKey))
                .sink(new FileCheckpointSink(dir))
                .sink(new LogCheckpointSink())
                .clock(Clock.systemUTC()).interval(Duration.ofMinutes(10)).build();
        checkpointer.start();
        // --- end ---
        ConsentService consent = ConsentService.builder().repository(repository).clock(Clock.systemUTC()).build();
        consent.publishPolicy(ConsentPolicy.builder().version("1.0").effectiveAt(Instant.parse("2025-12-01T00:00:00Z"))
                .purpose(Purpose.necessary("necessary", "Sign-in")).shownText("banner").build());
        consent.record(ConsentDecision.builder().subjectId(subjectId).policyVersion("1.0").onlyNecessary()
                .source("banner").build());
        checkpointer.checkpointNow();
        checkpointer.close();
        // --- README ---
        ChainVerification result = ChainVerifier.builder().publicKey("cp2026", publicKey)
                .chainKeys(keys)
                .build().verify(repository.evidence(), FileCheckpointSink.read(dir, "consent"));
        String proof = repository.exportProof(subjectId, FileCheckpointSink.read(dir, "consent"));
        // --- end ---
        assertTrue(result.valid(), result.toString());
        assertEquals(List.of(1L), ProofCheck.verify(proof, publicKey));
    }
}
