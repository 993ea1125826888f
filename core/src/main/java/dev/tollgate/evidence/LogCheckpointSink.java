package dev.tollgate.evidence;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each checkpoint as one INFO line, {@code tollgate.checkpoint {json}}, to the SLF4J logger
 * {@code dev.tollgate.evidence.checkpoints}, for services whose logs are shipped off the machine. The line holds
 * chain values and a signature, never a key. {@link SignedCheckpoint#parse(String)} reads the JSON back.
 */
public final class LogCheckpointSink implements CheckpointSink {

    /** The name of the logger the lines go to. */
    public static final String LOGGER = "dev.tollgate.evidence.checkpoints";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void write(SignedCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        LOG.info("tollgate.checkpoint {}", checkpoint.toJson());
    }

    @Override
    public String toString() {
        return "LogCheckpointSink[" + LOGGER + "]";
    }
}
