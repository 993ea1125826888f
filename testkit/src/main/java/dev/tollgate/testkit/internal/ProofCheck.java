package dev.tollgate.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The verification routine of the consent and legal READMEs ("Proof for a dispute"), for a
 * {@code tollgate.proof.v1} export: the JDK's {@code Signature} and {@code MessageDigest} only; Jackson here just
 * reads the JSON (any reader will do). Written apart from {@code EvidenceProof}, as a third party would, so that the
 * modules' tests check their exports against the documented routine rather than against the code that wrote them.
 */
public final class ProofCheck {

    /** The proof does not hold. */
    public static final class InvalidProof extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidProof(String message) {
            super(message);
        }
    }

    private ProofCheck() {
    }

    /**
     * Verifies a proof.
     *
     * @param json the exported proof
     * @param publicKey the Ed25519 public key the checkpoints are signed with
     * @return the sequence numbers of the subject's rows, each proven to be in the chain as of the checkpoint
     * @throws InvalidProof when the signature, a row or the chain does not hold
     * @throws Exception when the JSON cannot be read or the JDK lacks Ed25519 or SHA-256
     */
    public static List<Long> verify(String json, PublicKey publicKey) throws Exception {
        JsonNode proof = new ObjectMapper().readTree(json);
        String stream = proof.get("stream").asText();
        JsonNode cp = proof.get("checkpoint");
        // 1. The checkpoint is genuine: Ed25519 over its fields, each written as <UTF-8 byte length>:<text>.
        Signature signature = Signature.getInstance("Ed25519");
        signature.initVerify(publicKey);
        signature.update(lengthPrefixed("tollgate.checkpoint.v1", cp.get("stream").asText(), cp.get("seq").asText(),
                cp.get("mac").asText(), cp.get("hash").asText(), cp.get("taken_at").asText(), cp.get("key_id").asText()));
        if (!signature.verify(Base64.getDecoder().decode(cp.get("signature").asText()))
                || !cp.get("stream").asText().equals(stream)) {
            throw new InvalidProof("the checkpoint's signature does not verify");
        }
        // 2. The public chain from the subject's first row to the checkpoint: hash = SHA-256(previous ‖ digest).
        String hash = proof.get("previous_hash").asText();
        long expected = proof.get("rows").get(0).get("seq").asLong();
        List<Long> own = new ArrayList<>();
        for (JsonNode row : proof.get("rows")) {
            long seq = row.get("seq").asLong();
            if (seq != expected++) {
                throw new InvalidProof("row " + seq + " is out of sequence");
            }
            String digest;
            if (row.has("fields")) {
                List<String> fields = new ArrayList<>(List.of("tollgate.chain.v1", stream));
                row.get("fields").forEach(f -> fields.add(f.asText()));
                if (!fields.get(2).equals(Long.toString(seq))) {
                    throw new InvalidProof("row " + seq + " names another sequence number");
                }
                digest = sha256(lengthPrefixed(fields.toArray(String[]::new)));
                hash = sha256((hash + digest).getBytes(StandardCharsets.US_ASCII));
                if (!hash.equals(row.get("chain_hash").asText())) {
                    throw new InvalidProof("row " + seq + " does not match its chain hash");
                }
                own.add(seq);
            } else {
                digest = row.get("digest").asText();
                hash = sha256((hash + digest).getBytes(StandardCharsets.US_ASCII));
            }
        }
        // 3. It ends exactly at the signed head.
        if (expected - 1 != cp.get("seq").asLong() || !hash.equals(cp.get("hash").asText())) {
            throw new InvalidProof("the chain does not end at the checkpoint's signed hash");
        }
        return own;
    }

    private static byte[] lengthPrefixed(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
