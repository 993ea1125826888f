package dev.tollgate.evidence;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The outcome of {@link ChainVerifier#verify(EvidenceStream, java.util.List)}.
 *
 * @param stream the stream verified
 * @param valid whether every row and every checkpoint checked out
 * @param firstBadSeq the first sequence number that is not proven, when not valid (empty when the problem is a
 *     checkpoint's own signature)
 * @param detail what was found, naming rows by sequence number only
 * @param rowsChecked how many rows were read
 * @param checkpointsMatched how many checkpoints matched the table
 */
public record ChainVerification(String stream, boolean valid, OptionalLong firstBadSeq, String detail,
                                long rowsChecked, int checkpointsMatched) {

    /**
     * Refuses nulls.
     *
     * @param stream the stream verified
     * @param valid whether every row and every checkpoint checked out
     * @param firstBadSeq the first sequence number that is not proven, when not valid (empty when the problem is a
     *     checkpoint's own signature)
     * @param detail what was found, naming rows by sequence number only
     * @param rowsChecked how many rows were read
     * @param checkpointsMatched how many checkpoints matched the table
     */
    public ChainVerification {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(firstBadSeq, "firstBadSeq");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return stream + ": " + (valid ? "PASS " : "FAIL ") + detail;
    }
}
