package dev.tollgate.evidence;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs checkpoints with an Ed25519 private key (JDK {@code Signature "Ed25519"}). Keep the private key out of the
 * database and away from its administrators; publish the public key (and its id) to whoever verifies.
 *
 * <pre>{@code
 * KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
 * CheckpointSigner signer = CheckpointSigner.of("cp-2026", pair.getPrivate());
 * }</pre>
 */
public final class CheckpointSigner {

    private final String keyId;
    private final PrivateKey privateKey;

    private CheckpointSigner(String keyId, PrivateKey privateKey) {
        this.keyId = keyId;
        this.privateKey = privateKey;
    }

    /**
     * @param keyId the key's id, written into every checkpoint (1 to 32 of {@code A-Z a-z 0-9 . _ -})
     * @param privateKey an Ed25519 private key
     * @return the signer
     * @throws IllegalArgumentException when the key is not an Ed25519 key or the id is malformed
     */
    public static CheckpointSigner of(String keyId, PrivateKey privateKey) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(privateKey, "privateKey");
        ChainKey.checkId("a signing key id", keyId);
        if (!privateKey.getAlgorithm().equals("Ed25519") && !privateKey.getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("checkpoints are signed with Ed25519, but the key is "
                    + privateKey.getAlgorithm() + ": KeyPairGenerator.getInstance(\"Ed25519\")");
        }
        return new CheckpointSigner(keyId, privateKey);
    }

    /** @return the signing key's id */
    public String keyId() {
        return keyId;
    }

    /**
     * @param head the head to sign
     * @param takenAt the time to record
     * @return the signed checkpoint
     */
    public SignedCheckpoint sign(ChainHead head, Instant takenAt) {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(takenAt, "takenAt");
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(SignedCheckpoint.payload(head, takenAt, keyId));
            return new SignedCheckpoint(head.stream(), head.seq(), head.mac(), head.hash(), takenAt, keyId,
                    Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required of every Java 15+ JVM", e);
        }
    }

    /** Names the key id only. */
    @Override
    public String toString() {
        return "CheckpointSigner[key " + keyId + "]";
    }
}
