package dev.tollgate.evidence;

/**
 * Where signed checkpoints go: somewhere the database administrator cannot rewrite (an append-only or
 * object-locked directory, shipped logs, a transparency log of your own). {@link FileCheckpointSink} and
 * {@link LogCheckpointSink} ship with Tollgate; implement this for anything else.
 */
public interface CheckpointSink {

    /**
     * Stores one checkpoint durably before returning.
     *
     * @param checkpoint the checkpoint
     * @throws RuntimeException when it could not be stored; the {@link Checkpointer} reports it and goes on
     */
    void write(SignedCheckpoint checkpoint);
}
