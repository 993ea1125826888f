package dev.tollgate.migrations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One migration file on the class path, read once: its place in the plan, its text and its SHA-256. */
record MigrationFile(String module, int version, String description, String path, String sql, String checksum) {

    static MigrationFile load(ClassLoader loader, String module, int version, String description, String path) {
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new MigrationException("migration " + path + " vanished from the class path", null);
            }
            byte[] bytes = in.readAllBytes();
            String checksum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return new MigrationFile(module, version, description, path, new String(bytes, StandardCharsets.UTF_8),
                    checksum);
        } catch (IOException e) {
            throw new MigrationException("could not read " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** @return the file name, such as {@code V1__webhook_events.sql} (Flyway's "script", Liquibase's change set id) */
    String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    AppliedMigration asApplied() {
        return new AppliedMigration(module, version, description, checksum);
    }

    /** The one message for an applied file whose content changed, whichever tool noticed. */
    MigrationException changedAfterApplied(String recordedIn, int nextVersion) {
        return new MigrationException(String.format(
                "migration %s was changed after it was applied (recorded in %s): never edit an applied migration."
                        + " If two Tollgate versions are on the class path, keep one; if the change is yours, put the"
                        + " file back and add V%d__… beside it instead", path, recordedIn, nextVersion), null);
    }
}
