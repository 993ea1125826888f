package dev.tollgate.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00.123456Z");

    @TempDir
    Path dir;

    private KeyPair pair;
    private CheckpointSigner signer;

    @BeforeEach
    void keys() throws Exception {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        signer = CheckpointSigner.of("cp1", pair.getPrivate());
    }

    private static ChainHead head(long seq) {
        return new ChainHead("consent", seq, "a".repeat(64), "b".repeat(64));
    }

    @Test
    void aSignedCheckpointSurvivesItsJsonAndVerifiesOnlyUnchanged() throws Exception {
        SignedCheckpoint checkpoint = signer.sign(head(42), T);
        SignedCheckpoint read = SignedCheckpoint.parse(checkpoint.toJson());
        assertEquals(checkpoint, read);
        assertTrue(read.verify(pair.getPublic()));
        assertFalse(new SignedCheckpoint("consent", 43, read.mac(), read.hash(), T, "cp1", read.signature())
                .verify(pair.getPublic()), "another seq");
        assertFalse(new SignedCheckpoint("legal", 42, read.mac(), read.hash(), T, "cp1", read.signature())
                .verify(pair.getPublic()), "another stream");
        assertFalse(new SignedCheckpoint("consent", 42, read.mac(), read.hash(), T.plusNanos(1000), "cp1",
                read.signature()).verify(pair.getPublic()), "another time");
        assertFalse(read.verify(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()), "another key");
        assertThrows(IllegalArgumentException.class, () -> SignedCheckpoint.parse("{\"stream\":\"consent\"}"));
    }

    @Test
    void keysAndSignersAreValidatedAndNeverPrinted() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ChainKey.of("k 1", Secret.of("x".repeat(40))));
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class,
                () -> ChainKey.of("k1", Secret.of("short-secret")));
        assertFalse(shortKey.getMessage().contains("short-secret"), shortKey.getMessage());
        ChainKey k1 = ChainKey.of("k1", Secret.of("chain-secret-0123456789abcdef0123456789"));
        assertThrows(IllegalArgumentException.class, () -> ChainKeys.of(k1, k1));
        String printed = k1 + " " + ChainKeys.of(k1) + " " + signer;
        assertFalse(printed.contains("chain-secret-0123456789"), printed);
        assertThrows(IllegalArgumentException.class, () -> CheckpointSigner.of("cp1",
                KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate()));
    }

    @Test
    void theFileSinkAppendsOneLinePerCheckpointAndReadsThemBack() {
        FileCheckpointSink sink = new FileCheckpointSink(dir.resolve("new"));
        sink.write(signer.sign(head(1), T));
        sink.write(signer.sign(head(2), T.plusSeconds(1)));
        sink.write(signer.sign(new ChainHead("legal", 7, "c".repeat(64), "d".repeat(64)), T));
        List<SignedCheckpoint> consent = FileCheckpointSink.read(dir.resolve("new"), "consent");
        assertEquals(List.of(1L, 2L), consent.stream().map(SignedCheckpoint::seq).toList());
        assertEquals(1, FileCheckpointSink.read(dir.resolve("new"), "legal").size());
        assertEquals(List.of(), FileCheckpointSink.read(dir.resolve("none"), "consent"));
    }

    @Test
    void aFailingSinkDoesNotStopTheOthersAndIsReported() {
        List<SignedCheckpoint> kept = new ArrayList<>();
        Checkpointer checkpointer = Checkpointer.builder().stream(stream(() -> head(5)))
                .signer(signer).sink(c -> {
                    throw new IllegalStateException("disk full");
                }).sink(kept::add).clock(Clock.fixed(T, ZoneOffset.UTC)).interval(Duration.ofMinutes(1)).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, checkpointer::checkpointNow);
        assertEquals("disk full", e.getMessage());
        assertEquals(1, kept.size());
        assertEquals(5, kept.get(0).seq());
    }

    @Test
    void startedItCheckpointsEveryIntervalUntilClosed() throws Exception {
        CountDownLatch two = new CountDownLatch(2);
        List<SignedCheckpoint> kept = Collections.synchronizedList(new ArrayList<>());
        Checkpointer checkpointer = Checkpointer.builder().stream(stream(() -> head(9))).signer(signer)
                .sink(c -> {
                    kept.add(c);
                    two.countDown();
                }).clock(Clock.fixed(T, ZoneOffset.UTC)).interval(Duration.ofSeconds(1)).build();
        checkpointer.start();
        assertThrows(IllegalStateException.class, checkpointer::start);
        try {
            assertTrue(two.await(30, TimeUnit.SECONDS), "two periodic checkpoints");
        } finally {
            checkpointer.close();
        }
        int after = kept.size();
        assertTrue(kept.stream().allMatch(c -> c.verify(pair.getPublic())));
        checkpointer.close();
        assertEquals(after, kept.size(), "nothing runs after close");
    }

    private static EvidenceStream stream(java.util.function.Supplier<ChainHead> head) {
        return new EvidenceStream() {
            @Override
            public String name() {
                return "consent";
            }

            @Override
            public ChainHead head() {
                return head.get();
            }

            @Override
            public void forEachEntry(Consumer<ChainEntry> consumer) {
                // heads only
            }
        };
    }
}
