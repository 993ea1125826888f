package dev.tollgate.evidence;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * An append-only table seen as a chain of rows, for checkpoints and verification. The consent and legal
 * repositories provide one each ({@code PostgresConsentRepository.evidence()}, {@code PostgresLegalRepository.evidence()}).
 */
public interface EvidenceStream {

    /** @return the stream name, written into every checkpoint */
    String name();

    /** @return the newest keyed row, or {@code seq 0} when there is none */
    ChainHead head();

    /**
     * Hands every row that has a sequence number to the consumer, in sequence order, reading in batches (the table is
     * not held in memory).
     *
     * @param consumer receives each row
     */
    void forEachEntry(Consumer<ChainEntry> consumer);

    /**
     * Rows that should be in the chain but have no sequence number: written after the chain began with the table's
     * triggers switched off. The default has none.
     *
     * @return a description naming the first such row, or empty
     */
    default Optional<String> rowsOutsideChain() {
        return Optional.empty();
    }
}
