package dev.tollgate.legal;

import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.legal.internal.AuditRowHash;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.MutableClock;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration V3's audit row hash: length-prefixed fields instead of fields joined with {@code |}, the same in SQL and
 * in Java; rows written before the migration keep verifying with the formula they were written with.
 */
class LegalAuditHashVersionsTest {

    private static final String PREV = "0".repeat(64);
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 11, 2, 10, 30, 0, 123_456_000, ZoneOffset.UTC);

    @Test
    void theBarAmbiguityOfTheOldFormulaIsNoLongerACollision() throws SQLException {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            // two different rows: (event type 'legal.acceptance', subject 'u|x') and ('legal.acceptance|u', 'x')
            String v1a = hash(db.dataSource(), "audit_row_hash", "legal.acceptance", "u|x");
            String v1b = hash(db.dataSource(), "audit_row_hash", "legal.acceptance|u", "x");
            assertEquals(v1a, v1b, "joined with '|', the two rows hash alike");
            String v2a = hash(db.dataSource(), "audit_row_hash_v2", "legal.acceptance", "u|x");
            String v2b = hash(db.dataSource(), "audit_row_hash_v2", "legal.acceptance|u", "x");
            assertNotEquals(v2a, v2b, "length-prefixed, they do not");
        }
    }

    @Test
    void javaAndSqlComputeTheSameHash() throws SQLException {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            for (String subject : List.of("user-1", "u|x", "ü-\u6F22-\uD83D\uDE00|7|", "12:34")) {
                assertEquals(hash(db.dataSource(), "audit_row_hash_v2", "legal.acceptance", subject),
                        AuditRowHash.v2(42, "legal.acceptance", subject, 7L, "{\"a\": 1}", AT.toInstant(), PREV),
                        subject);
            }
        }
    }

    @Test
    void rowsWrittenBeforeTheMigrationStillVerifyAndNewOnesUseTheNewFormula(@TempDir Path dir)
            throws IOException, SQLException {
        try (TestDatabase db = TestPostgres.shared().createDatabase();
             URLClassLoader upToV2 = new URLClassLoader(new URL[] {legalMigrationsUpTo(dir, 2).toUri().toURL()}, null)) {
            DataSource ds = db.dataSource();
            SchemaMigrator.forModules("legal").withClassLoader(upToV2).migrate(ds); // the previous release's schema
            LegalService legal = LegalService.builder().repository(new PostgresLegalRepository(ds))
                    .clock(MutableClock.at(T0.plus(Duration.ofDays(1)))).build();
            legal.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
            for (String user : List.of("old-1", "old|2", "old-3")) {
                legal.accept(AcceptanceRequest.builder().userId(user).source("signup")
                        .document(DocumentKind.TERMS, "1.0").build());
            }

            SchemaMigrator.forModules("legal").migrate(ds); // V3
            assertEquals(List.of(1, 1, 1), hashVersions(ds), "rows already there keep version 1");
            IntegrityReport afterMigration = legal.verifyIntegrity();
            assertTrue(afterMigration.passed() && afterMigration.warnings().isEmpty(), afterMigration.toString());

            legal.accept(AcceptanceRequest.builder().userId("new-4").source("signup")
                    .document(DocumentKind.TERMS, "1.0").build());
            assertEquals(List.of(1, 1, 1, 2), hashVersions(ds), "rows written from now on are version 2");
            IntegrityReport mixed = legal.verifyIntegrity();
            assertTrue(mixed.passed() && mixed.warnings().isEmpty(), mixed.toString());

            LegalFixtures.tamper(ds, "UPDATE legal.audit_log SET subject_id = 'old-9' WHERE seq = 1");
            assertFalse(legal.verifyIntegrity().passed(), "an old row is still protected by its old hash");
        }
    }

    /** Copies {@code db/tollgate/legal/V1…V<last>} from the class path into {@code dir}. */
    private static Path legalMigrationsUpTo(Path dir, int last) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("db/tollgate/legal"));
        for (String path : SchemaMigrator.forModules("legal").migrations()) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (Integer.parseInt(name.substring(1, name.indexOf("__"))) <= last) {
                try (InputStream in = LegalAuditHashVersionsTest.class.getClassLoader().getResourceAsStream(path)) {
                    Files.copy(in, folder.resolve(name));
                }
            }
        }
        assertEquals(last, Files.list(folder).count());
        return dir;
    }

    private static List<Integer> hashVersions(DataSource ds) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT hash_version FROM legal.audit_log ORDER BY seq");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static String hash(DataSource ds, String function, String eventType, String subject) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT legal." + function
                + "(42, ?, ?, 7, '{\"a\": 1}'::jsonb, ?, ?)")) {
            s.setString(1, eventType);
            s.setString(2, subject);
            s.setObject(3, AT);
            s.setString(4, PREV);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
