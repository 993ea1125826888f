package dev.tollgate.evidence;

import dev.tollgate.internal.ChainCodec;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Checks an evidence stream against signed checkpoints kept outside the database, trusting nothing the database says
 * about itself.
 *
 * <ul>
 *   <li>Every checkpoint's Ed25519 signature must verify with the public key of its key id.</li>
 *   <li>Sequence numbers run from 1 without a gap or repeat; once the keyed chain began, every row is keyed.</li>
 *   <li>Every keyed row's public chain hash is recomputed from its content and the row before it; with the chain keys
 *       ({@link Builder#chainKeys(ChainKeys)}) its keyed value is recomputed too, which someone without the key cannot
 *       forge, so an edit is named at its own row even when every plain hash was recomputed.</li>
 *   <li>At each checkpoint's sequence number, the stored values must equal the signed ones; a checkpoint beyond the
 *       newest row means rows were deleted.</li>
 * </ul>
 *
 * <pre>{@code
 * ChainVerification result = ChainVerifier.builder()
 *         .publicKey("cp-2026", publicKey)
 *         .chainKeys(keys)                          // optional: without it, checkpoints and public hashes only
 *         .build()
 *         .verify(consentRepository.evidence(), FileCheckpointSink.read(dir, "consent"));
 * }</pre>
 */
public final class ChainVerifier {

    private final Map<String, PublicKey> publicKeys;
    private final @Nullable ChainKeys chainKeys;

    private ChainVerifier(Map<String, PublicKey> publicKeys, @Nullable ChainKeys chainKeys) {
        this.publicKeys = Map.copyOf(publicKeys);
        this.chainKeys = chainKeys;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a stream against checkpoints. Checkpoints of other streams are ignored.
     *
     * @param stream the stream
     * @param checkpoints checkpoints exported earlier, in any order
     * @return the result, naming the first sequence number that is not proven
     */
    public ChainVerification verify(EvidenceStream stream, List<SignedCheckpoint> checkpoints) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(checkpoints, "checkpoints");
        String name = stream.name();
        List<SignedCheckpoint> mine = new ArrayList<>();
        for (SignedCheckpoint checkpoint : checkpoints) {
            if (!checkpoint.stream().equals(name)) {
                continue;
            }
            PublicKey key = publicKeys.get(checkpoint.keyId());
            if (key == null) {
                return new ChainVerification(name, false, OptionalLong.empty(), "checkpoint at seq " + checkpoint.seq()
                        + " was signed with key " + checkpoint.keyId() + ", whose public key was not given", 0, 0);
            }
            if (!checkpoint.verify(key)) {
                return new ChainVerification(name, false, OptionalLong.empty(), "checkpoint at seq " + checkpoint.seq()
                        + " taken at " + checkpoint.takenAt() + ": the signature does not verify with key "
                        + checkpoint.keyId() + " (the checkpoint was altered or forged)", 0, 0);
            }
            mine.add(checkpoint);
        }
        mine.sort(Comparator.comparingLong(SignedCheckpoint::seq));
        Walk walk = new Walk(name, mine);
        stream.forEachEntry(walk::accept);
        ChainVerification result = walk.finish();
        Optional<String> outside = stream.rowsOutsideChain();
        if (result.valid() && outside.isPresent()) {
            return new ChainVerification(name, false, OptionalLong.empty(), outside.get(), result.rowsChecked(),
                    result.checkpointsMatched());
        }
        return result;
    }

    @Override
    public String toString() {
        return "ChainVerifier[public keys " + publicKeys.keySet() + ", chain keys "
                + (chainKeys == null ? "none" : chainKeys.toString()) + "]";
    }

    /** One pass over the rows in sequence order. */
    private final class Walk {

        private final String stream;
        private final List<SignedCheckpoint> checkpoints;
        private int nextCheckpoint;
        private long expectedSeq = 1;
        private long lastProvenSeq;
        private String previousMac = ChainCodec.GENESIS;
        private String previousHash = ChainCodec.GENESIS;
        private boolean keyedStarted;
        private long rows;
        private int matched;
        private @Nullable String problem;
        private long firstBad;

        Walk(String stream, List<SignedCheckpoint> checkpoints) {
            this.stream = stream;
            this.checkpoints = checkpoints;
            while (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).seq() == 0) {
                nextCheckpoint++;
                matched++;
            }
        }

        void accept(ChainEntry entry) {
            if (problem != null) {
                return;
            }
            rows++;
            if (entry.seq() != expectedSeq) {
                fail(Math.min(entry.seq(), expectedSeq), entry.seq() > expectedSeq
                        ? "row " + expectedSeq + " is missing (deleted): the next row is " + entry.seq()
                        : "row " + entry.seq() + " comes again after row " + (expectedSeq - 1)
                                + " (inserted or reordered)");
                return;
            }
            expectedSeq++;
            if (!entry.keyed()) {
                if (keyedStarted) {
                    fail(entry.seq(), "row " + entry.seq() + " has no keyed chain value though the rows before it"
                            + " have (inserted, or written without the chain key)");
                }
                checkpointsAt(entry, null, null);
                return;
            }
            keyedStarted = true;
            byte[] canonical = ChainCodec.canonical(stream, entry.fields());
            if (chainKeys != null) {
                Optional<ChainKey> key = chainKeys.find(Objects.requireNonNullElse(entry.keyId(), ""));
                if (key.isEmpty()) {
                    fail(entry.seq(), "row " + entry.seq() + " names chain key " + entry.keyId()
                            + ", which is not among the keys given");
                    return;
                }
                String mac = ChainCodec.mac(key.get().secret().revealBytes(), previousMac, canonical);
                if (!mac.equals(entry.mac())) {
                    fail(entry.seq(), "row " + entry.seq() + " does not match its keyed chain value (edited, inserted"
                            + " or reordered, and not re-keyed: the plain hashes may have been recomputed)");
                    return;
                }
            }
            String hash = ChainCodec.link(previousHash, ChainCodec.digest(canonical));
            if (!hash.equals(entry.hash())) {
                fail(entry.seq(), "row " + entry.seq() + " does not match its public chain hash (edited, inserted or"
                        + " reordered)");
                return;
            }
            previousMac = Objects.requireNonNull(entry.mac());
            previousHash = hash;
            checkpointsAt(entry, entry.mac(), hash);
        }

        private void checkpointsAt(ChainEntry entry, @Nullable String mac, @Nullable String hash) {
            while (problem == null && nextCheckpoint < checkpoints.size()
                    && checkpoints.get(nextCheckpoint).seq() == entry.seq()) {
                SignedCheckpoint checkpoint = checkpoints.get(nextCheckpoint++);
                if (!checkpoint.mac().equals(mac) || !checkpoint.hash().equals(hash)) {
                    fail(lastProvenSeq + 1, "rows " + (lastProvenSeq + 1) + " to " + entry.seq() + " differ from the"
                            + " checkpoint signed at " + checkpoint.takenAt() + " for seq " + entry.seq()
                            + " (rewritten and re-chained"
                            + (chainKeys == null ? "" : " with the chain key: it has leaked, rotate it") + ")");
                    return;
                }
                matched++;
                lastProvenSeq = entry.seq();
            }
        }

        private void fail(long seq, String what) {
            problem = what;
            firstBad = seq;
        }

        ChainVerification finish() {
            if (problem == null && nextCheckpoint < checkpoints.size()) {
                SignedCheckpoint ahead = checkpoints.get(checkpoints.size() - 1);
                fail(expectedSeq, "rows from seq " + expectedSeq + " on are missing: the checkpoint signed at "
                        + ahead.takenAt() + " has seq " + ahead.seq() + " but the table ends at " + (expectedSeq - 1)
                        + " (newest rows deleted)");
            }
            if (problem != null) {
                return new ChainVerification(stream, false, OptionalLong.of(firstBad), problem, rows, matched);
            }
            String covered = checkpoints.isEmpty() ? "no checkpoint given"
                    : "newest checkpoint seq " + checkpoints.get(checkpoints.size() - 1).seq() + " taken at "
                            + checkpoints.get(checkpoints.size() - 1).takenAt();
            return new ChainVerification(stream, true, OptionalLong.empty(), rows + " rows verified"
                    + (chainKeys == null ? " (public hashes only)" : " (keyed chain recomputed)") + " against "
                    + matched + " checkpoints; " + covered, rows, matched);
        }
    }

    /** Builds a {@link ChainVerifier}. */
    public static final class Builder {

        private final Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
        private @Nullable ChainKeys chainKeys;

        private Builder() {
        }

        /**
         * @param keyId the signing key's id, as written in checkpoints
         * @param publicKey its Ed25519 public key
         * @return this builder
         */
        public Builder publicKey(String keyId, PublicKey publicKey) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
            ChainKey.checkId("a signing key id", keyId);
            if (publicKeys.putIfAbsent(keyId, publicKey) != null) {
                throw new IllegalStateException("public key " + keyId + " was already given");
            }
            return this;
        }

        /**
         * @param chainKeys the chain keys, to recompute every keyed value (optional)
         * @return this builder
         */
        public Builder chainKeys(ChainKeys chainKeys) {
            this.chainKeys = Objects.requireNonNull(chainKeys, "chainKeys");
            return this;
        }

        /**
         * @return the verifier
         * @throws IllegalStateException when no public key was given
         */
        public ChainVerifier build() {
            if (publicKeys.isEmpty()) {
                throw new IllegalStateException("invalid chain verifier: no public key: .publicKey(keyId, publicKey)");
            }
            return new ChainVerifier(publicKeys, chainKeys);
        }
    }
}
