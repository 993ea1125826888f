package dev.tollgate.evidence;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The newest row of an evidence stream's keyed chain: what a checkpoint records.
 *
 * @param stream the stream name, such as {@code consent} or {@code legal}
 * @param seq the row's sequence number ({@code 0} while the keyed chain has no row)
 * @param mac the row's keyed chain value (64 zeros for {@code seq 0})
 * @param hash the row's public chain hash (64 zeros for {@code seq 0})
 */
public record ChainHead(String stream, long seq, String mac, String hash) {

    static final Pattern STREAM = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates the fields.
     *
     * @param stream the stream name, such as {@code consent} or {@code legal}
     * @param seq the row's sequence number ({@code 0} while the keyed chain has no row)
     * @param mac the row's keyed chain value (64 zeros for {@code seq 0})
     * @param hash the row's public chain hash (64 zeros for {@code seq 0})
     */
    public ChainHead {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(hash, "hash");
        if (!STREAM.matcher(stream).matches() || seq < 0 || !HEX64.matcher(mac).matches()
                || !HEX64.matcher(hash).matches()) {
            throw new IllegalArgumentException("a chain head needs a lower-case stream name, seq >= 0 and 64-digit"
                    + " lower-case hex values, but was stream '" + stream + "', seq " + seq);
        }
    }
}
