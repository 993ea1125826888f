package dev.tollgate.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte formats of Tollgate's keyed evidence chains (consent records, legal audit rows) and their signed
 * checkpoints, in one place so that every stream computes them alike. Internal: not part of the API.
 *
 * <ul>
 *   <li>canonical bytes of a row: {@code tollgate.chain.v1}, the stream name and each field, every one written as
 *       {@code <UTF-8 byte length>:<text>};</li>
 *   <li>keyed chain value: HMAC-SHA256(key, previous value as 64 hex digits ‖ canonical bytes), lower-case hex;</li>
 *   <li>public chain hash: SHA-256(previous hash as 64 hex digits ‖ SHA-256 hex of the canonical bytes), hex.</li>
 * </ul>
 * The first row of a chain uses 64 zeros as its previous value and hash.
 */
public final class ChainCodec {

    /** The previous value and hash of a chain's first row. */
    public static final String GENESIS = "0".repeat(64);

    private static final String ROW_DOMAIN = "tollgate.chain.v1";
    private static final String CHECKPOINT_DOMAIN = "tollgate.checkpoint.v1";

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ChainCodec() {
    }

    /**
     * @param time a time stored to the microsecond
     * @return its canonical text, {@code 2026-01-02T03:04:05.123456Z}
     */
    public static String time(Instant time) {
        return MICROS.format(time);
    }

    /**
     * @param stream the stream name ({@code consent}, {@code legal})
     * @param fields the row's fields in the stream's order; absent values as empty text
     * @return the row's canonical bytes
     */
    public static byte[] canonical(String stream, List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, ROW_DOMAIN);
        field(out, stream);
        fields.forEach(f -> field(out, f));
        return out.toByteArray();
    }

    /**
     * @param fields the checkpoint's fields in order
     * @return the bytes an Ed25519 checkpoint signature covers
     */
    public static byte[] checkpointPayload(List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, CHECKPOINT_DOMAIN);
        fields.forEach(f -> field(out, f));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
    }

    /**
     * @param key the raw chain key
     * @param previousMac the previous row's keyed value, 64 hex digits
     * @param canonical the row's canonical bytes
     * @return the row's keyed chain value
     */
    public static String mac(byte[] key, String previousMac, byte[] canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(previousMac.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(canonical));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    /**
     * @param canonical a row's canonical bytes
     * @return their SHA-256, lower-case hex
     */
    public static String digest(byte[] canonical) {
        return HexFormat.of().formatHex(sha256().digest(canonical));
    }

    /**
     * @param previousHash the previous row's public chain hash
     * @param digest the row's {@linkplain #digest(byte[]) digest}
     * @return the row's public chain hash
     */
    public static String link(String previousHash, String digest) {
        MessageDigest sha = sha256();
        sha.update(previousHash.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha.digest(digest.getBytes(StandardCharsets.US_ASCII)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
