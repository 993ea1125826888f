package dev.tollgate.evidence;

import dev.tollgate.internal.ChainCodec;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The head of an evidence stream at one moment, signed with Ed25519. Kept outside the database, it proves to anyone
 * with the public key that the stream had exactly this head at that time.
 *
 * <p>The signature covers {@link #payload()}: {@code tollgate.checkpoint.v1}, stream, seq, mac, hash, takenAt (ISO-8601)
 * and keyId, each written as {@code <UTF-8 byte length>:<text>}.
 *
 * @param stream the stream name
 * @param seq the head row's sequence number
 * @param mac the head row's keyed chain value
 * @param hash the head row's public chain hash
 * @param takenAt when it was taken
 * @param keyId the id of the Ed25519 key that signed it
 * @param signature the Ed25519 signature of {@link #payload()}, Base64
 */
public record SignedCheckpoint(String stream, long seq, String mac, String hash, Instant takenAt, String keyId,
                               String signature) {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{20,200}={0,2}");
    private static final Pattern JSON_FIELD = Pattern.compile("\"([a-z_]+)\":(?:\"([^\"\\\\]*)\"|(-?[0-9]+))");

    /**
     * Validates every field.
     *
     * @param stream the stream name
     * @param seq the head row's sequence number
     * @param mac the head row's keyed chain value
     * @param hash the head row's public chain hash
     * @param takenAt when it was taken
     * @param keyId the id of the Ed25519 key that signed it
     * @param signature the Ed25519 signature of {@link #payload()}, Base64
     */
    public SignedCheckpoint {
        Objects.requireNonNull(takenAt, "takenAt");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
        new ChainHead(stream, seq, mac, hash);
        if (!KEY_ID.matcher(keyId).matches() || !BASE64.matcher(signature).matches()) {
            throw new IllegalArgumentException("a checkpoint needs a key id of 1 to 32 of A-Z a-z 0-9 . _ - and a"
                    + " Base64 signature");
        }
    }

    /** @return the head this checkpoint records */
    public ChainHead head() {
        return new ChainHead(stream, seq, mac, hash);
    }

    /** @return the bytes the signature covers */
    public byte[] payload() {
        return payload(head(), takenAt, keyId);
    }

    static byte[] payload(ChainHead head, Instant takenAt, String keyId) {
        return ChainCodec.checkpointPayload(List.of(head.stream(), Long.toString(head.seq()), head.mac(), head.hash(),
                takenAt.toString(), keyId));
    }

    /**
     * @param publicKey the Ed25519 public key of {@link #keyId()}
     * @return whether the signature is valid for this checkpoint's fields
     */
    public boolean verify(PublicKey publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(payload());
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** @return the checkpoint as one line of JSON */
    public String toJson() {
        return "{\"stream\":\"" + stream + "\",\"seq\":" + seq + ",\"mac\":\"" + mac + "\",\"hash\":\"" + hash
                + "\",\"taken_at\":\"" + takenAt + "\",\"key_id\":\"" + keyId + "\",\"signature\":\"" + signature
                + "\"}";
    }

    /**
     * Reads a line written by {@link #toJson()}.
     *
     * @param json the line
     * @return the checkpoint (its signature is not checked here: see {@link #verify(PublicKey)})
     * @throws IllegalArgumentException when the line is not a checkpoint
     */
    public static SignedCheckpoint parse(String json) {
        Objects.requireNonNull(json, "json");
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = JSON_FIELD.matcher(json);
        while (m.find()) {
            fields.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        try {
            return new SignedCheckpoint(require(fields, "stream"), Long.parseLong(require(fields, "seq")),
                    require(fields, "mac"), require(fields, "hash"), Instant.parse(require(fields, "taken_at")),
                    require(fields, "key_id"), require(fields, "signature"));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a signed checkpoint: " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("not a signed checkpoint: field " + name + " is missing");
        }
        return value;
    }
}
