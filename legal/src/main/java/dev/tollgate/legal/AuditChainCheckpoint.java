package dev.tollgate.legal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The head of the audit chain at one moment, to keep <em>outside</em> the database (object storage with
 * retention, a ticket, a signed e-mail). The chain alone proves that no row was edited, removed from the
 * middle or reordered, but it cannot show that the newest rows were deleted: the shorter chain still
 * verifies. A later {@link LegalService#verifyCheckpoint(AuditChainCheckpoint)} finds that out: the
 * checkpoint's row must still be there with the same hash.
 *
 * <p>This checkpoint is unsigned, and the plain chain it names can be recomputed by whoever can write the table. For
 * evidence that holds against the database administrator, give {@link PostgresLegalRepository} chain keys and let a
 * {@link dev.tollgate.evidence.Checkpointer} sign the head of {@link PostgresLegalRepository#evidence()} into sinks
 * outside the database (module README, "Evidence that survives the database administrator").
 *
 * @param seq the sequence number of the head row ({@code 0} for an empty log)
 * @param rowHash the row hash of the head row ({@code 64 zeros} for an empty log)
 * @param takenAt when the checkpoint was taken
 */
public record AuditChainCheckpoint(long seq, String rowHash, Instant takenAt) {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates the fields.
     *
     * @param seq the sequence number of the head row ({@code 0} for an empty log)
     * @param rowHash the row hash of the head row ({@code 64 zeros} for an empty log)
     * @param takenAt when the checkpoint was taken
     */
    public AuditChainCheckpoint {
        Objects.requireNonNull(rowHash, "rowHash");
        Objects.requireNonNull(takenAt, "takenAt");
        if (seq < 0 || !HASH.matcher(rowHash).matches()) {
            throw new LegalException(LegalException.Reason.INVALID_INPUT,
                    "a checkpoint needs seq >= 0 and a 64-digit lower-case hex row hash");
        }
    }

    /** @return the checkpoint as one line, {@code seq:rowHash:takenAt}, for storage elsewhere */
    public String export() {
        return seq + ":" + rowHash + ":" + takenAt;
    }

    /**
     * Reads a line written by {@link #export()}.
     *
     * @param line the exported line
     * @return the checkpoint
     * @throws LegalException with {@link LegalException.Reason#INVALID_INPUT} when the line is malformed
     */
    public static AuditChainCheckpoint parse(String line) {
        Objects.requireNonNull(line, "line");
        String[] parts = line.strip().split(":", 3);
        try {
            if (parts.length == 3) {
                return new AuditChainCheckpoint(Long.parseLong(parts[0]), parts[1], Instant.parse(parts[2]));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below
        }
        throw new LegalException(LegalException.Reason.INVALID_INPUT,
                "not an exported audit checkpoint (expected seq:rowHash:takenAt)");
    }
}
