package dev.tollgate.evidence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Appends each checkpoint as one JSON line to {@code <directory>/<stream>.checkpoints}, opened in append mode and
 * forced to disk before {@link #write(SignedCheckpoint)} returns. Point it at storage the database administrator
 * cannot rewrite: a mount with {@code chattr +a}, a WORM or object-lock bucket mounted as a directory, a
 * different machine.
 */
public final class FileCheckpointSink implements CheckpointSink {

    private final Path directory;

    /**
     * @param directory the directory, created when missing
     */
    public FileCheckpointSink(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    @Override
    public synchronized void write(SignedCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try {
            Files.createDirectories(directory);
            try (FileChannel file = FileChannel.open(file(directory, checkpoint.stream()), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.wrap((checkpoint.toJson() + "\n").getBytes(StandardCharsets.UTF_8)));
                file.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not append a checkpoint to " + file(directory, checkpoint.stream())
                    + ": check that the directory exists and is writable", e);
        }
    }

    /**
     * Reads the checkpoints of one stream written to a directory.
     *
     * @param directory the sink's directory
     * @param stream the stream name
     * @return the checkpoints in the order written; empty when there is no file
     * @throws IllegalArgumentException when a line is not a checkpoint
     */
    public static List<SignedCheckpoint> read(Path directory, String stream) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(stream, "stream");
        Path file = file(directory, stream);
        List<SignedCheckpoint> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(SignedCheckpoint.parse(line));
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        return out;
    }

    private static Path file(Path directory, String stream) {
        if (!ChainHead.STREAM.matcher(stream).matches()) {
            throw new IllegalArgumentException("not a stream name: " + stream);
        }
        return directory.resolve(stream + ".checkpoints");
    }

    @Override
    public String toString() {
        return "FileCheckpointSink[" + directory + "]";
    }
}
