package dev.tollgate.migrations;

import java.util.Objects;

/**
 * One migration file that {@link SchemaMigrator#migrate(javax.sql.DataSource)} applied in this run.
 *
 * @param module the module folder, such as {@code webhooks}
 * @param version the file's version number ({@code V3__…} → 3)
 * @param description the file's description, underscores turned into spaces
 * @param checksum the SHA-256 of the file's bytes, hex encoded
 */
public record AppliedMigration(String module, int version, String description, String checksum) {

    /**
     * Refuses nulls.
     *
     * @param module the module folder, such as {@code webhooks}
     * @param version the file's version number ({@code V3__…} → 3)
     * @param description the file's description, underscores turned into spaces
     * @param checksum the SHA-256 of the file's bytes, hex encoded
     */
    public AppliedMigration {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(checksum, "checksum");
    }
}
