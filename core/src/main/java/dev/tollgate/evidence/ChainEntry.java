package dev.tollgate.evidence;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of an evidence stream as a verifier reads it: its position, the chain values stored with it, and the
 * fields its canonical bytes are made of. Rows written before the keyed chain began have no key id, value or hash.
 *
 * @param seq the row's sequence number, from 1
 * @param keyId the id of the chain key the row was written with, or {@code null}
 * @param mac the stored keyed chain value, or {@code null}
 * @param hash the stored public chain hash, or {@code null}
 * @param fields the row's fields in the stream's canonical order
 */
public record ChainEntry(long seq, @Nullable String keyId, @Nullable String mac, @Nullable String hash,
                         List<String> fields) {

    /**
     * Copies the fields.
     *
     * @param seq the row's sequence number, from 1
     * @param keyId the id of the chain key the row was written with, or {@code null}
     * @param mac the stored keyed chain value, or {@code null}
     * @param hash the stored public chain hash, or {@code null}
     * @param fields the row's fields in the stream's canonical order
     */
    public ChainEntry {
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
    }

    /** @return whether the row carries keyed chain values */
    public boolean keyed() {
        return mac != null;
    }

    /** Leaves out the fields, which may hold personal data. */
    @Override
    public String toString() {
        return "ChainEntry[seq " + seq + ", key " + keyId + "]";
    }
}
