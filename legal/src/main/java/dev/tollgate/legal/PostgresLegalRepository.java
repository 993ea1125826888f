package dev.tollgate.legal;

import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.EvidenceStream;
import dev.tollgate.evidence.SignedCheckpoint;
import dev.tollgate.integrity.IntegrityCheck;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.internal.ChainCodec;
import dev.tollgate.internal.EvidenceProof;
import dev.tollgate.internal.JdbcChain;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.internal.appendonly.AppendTransaction;
import dev.tollgate.internal.appendonly.WriteFailure;
import dev.tollgate.legal.internal.JsonText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LegalRepository} on PostgreSQL tables {@code legal.documents}, {@code legal.acceptances} and
 * {@code legal.audit_log} (migration {@code db/tollgate/legal}). Works with any {@link DataSource}; uses
 * prepared statements only; each write is one transaction at READ COMMITTED.
 *
 * <p>The audit chain is appended by a database trigger that takes a transaction-scoped advisory lock, so
 * writers on any number of pools and processes produce one consistent chain. Timestamps are stored to the
 * microsecond.
 *
 * <p>Built with {@link ChainKeys}, every audit row it appends also carries a keyed chain value (HMAC-SHA256 under the
 * current key, computed here: the key never reaches PostgreSQL) and a public chain hash (migration V4); see
 * {@link #evidence()} for checkpoints and verification.
 */
public final class PostgresLegalRepository implements LegalRepository {

    /**
     * The SQL verifier function this repository's {@link #verifyIntegrity()} runs, for
     * {@code SqlIntegrityVerifier.of(dataSource, VERIFY_FUNCTION)} in health checks.
     */
    public static final String VERIFY_FUNCTION = "legal.verify_legal_acceptance_integrity";

    private static final String DOCUMENT_COLUMNS =
            "kind, version, title, language, effective_at, content, content_sha256, requires_reacceptance";
    private static final String ACCEPTANCE_COLUMNS = "id, user_id, document_kind, document_version, content_sha256,"
            + " accepted_at, source, ip_hash, user_agent_hash";

    /** The advisory lock the audit chain trigger takes; do not use this key for anything else. */
    static final long CHAIN_LOCK = 7587384251129587713L;

    private final DataSource dataSource;
    private final @Nullable ChainKeys chainKeys;
    private final JdbcChain chain;

    /**
     * A repository whose audit rows carry the plain hash chain only.
     *
     * @param dataSource the database, migrated with {@code SchemaMigrator.forModules("legal")}
     */
    public PostgresLegalRepository(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * A repository whose new audit rows also carry the keyed chain.
     *
     * @param dataSource the database, migrated with {@code SchemaMigrator.forModules("legal")}
     * @param chainKeys the chain keys; new rows are written with the current one
     */
    public PostgresLegalRepository(DataSource dataSource, @Nullable ChainKeys chainKeys) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.chainKeys = chainKeys;
        this.chain = chain(dataSource);
    }

    /** The audit log as an evidence stream: {@code seq} is its sequence number. */
    static JdbcChain chain(DataSource dataSource) {
        return new JdbcChain(dataSource, "legal", "legal.audit_log", "seq",
                "event_type, subject_id, coalesce(acceptance_id::text, ''), details::text, occurred_at, prev_hash", null,
                CHAIN_LOCK, rs -> List.of(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        ChainCodec.time(instant(rs, 9)), rs.getString(10)));
    }

    /**
     * The audit log as an {@link EvidenceStream} named {@code legal}, for a {@link dev.tollgate.evidence.Checkpointer}
     * and a {@link dev.tollgate.evidence.ChainVerifier}.
     *
     * @return the stream
     */
    public EvidenceStream evidence() {
        return chain;
    }

    /**
     * Exports a user's acceptances with the proof that they are in the audit log as of a signed checkpoint, for a
     * dispute: JSON in the format {@code tollgate.proof.v1} (see the module README for the fields and the
     * JDK-only verification routine). Only audit rows written with chain keys are covered.
     *
     * @param userId the user
     * @param checkpoints signed checkpoints kept outside the database; the oldest one at or after the user's newest
     *     keyed row is used
     * @return the proof
     * @throws dev.tollgate.TollgateException when the user has no keyed row or no checkpoint covers it yet
     */
    public String exportProof(String userId, List<SignedCheckpoint> checkpoints) {
        Objects.requireNonNull(userId, "userId");
        return EvidenceProof.export(chain, "subject_id", userId, checkpoints);
    }

    @Override
    public void publish(LegalDocument document) {
        Objects.requireNonNull(document, "document");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO legal.documents (" + DOCUMENT_COLUMNS
                     + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, version) DO NOTHING")) {
            ps.setString(1, document.kind().name());
            ps.setString(2, document.version());
            ps.setString(3, document.title());
            ps.setString(4, document.language());
            ps.setObject(5, JdbcValues.utc(document.effectiveAt()));
            ps.setString(6, document.content());
            ps.setString(7, document.contentSha256());
            ps.setBoolean(8, document.requiresReacceptance());
            if (ps.executeUpdate() == 0) {
                throw new LegalException(LegalException.Reason.DUPLICATE_VERSION, "document " + document.kind() + " "
                        + document.version() + " is already published; published versions never change: publish a "
                        + "new version");
            }
        } catch (SQLException e) {
            throw storageFailure("publish a document", e);
        }
    }

    @Override
    public Optional<LegalDocument> find(DocumentKind kind, String version) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + DOCUMENT_COLUMNS
                     + " FROM legal.documents WHERE kind = ? AND version = ?")) {
            ps.setString(1, kind.name());
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(document(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw storageFailure("read a document", e);
        }
    }

    @Override
    public List<LegalDocument> versions(DocumentKind kind) {
        Objects.requireNonNull(kind, "kind");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + DOCUMENT_COLUMNS
                     + " FROM legal.documents WHERE kind = ? ORDER BY effective_at, version")) {
            ps.setString(1, kind.name());
            List<LegalDocument> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(document(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storageFailure("read documents", e);
        }
    }

    @Override
    public List<DocumentKind> kinds() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT kind FROM legal.documents ORDER BY kind");
             ResultSet rs = ps.executeQuery()) {
            List<DocumentKind> out = new ArrayList<>();
            while (rs.next()) {
                out.add(DocumentKind.of(rs.getString(1)));
            }
            return out;
        } catch (SQLException e) {
            throw storageFailure("read document kinds", e);
        }
    }

    @Override
    public List<Acceptance> record(List<NewAcceptance> acceptances) {
        List<NewAcceptance> batch = List.copyOf(Objects.requireNonNull(acceptances, "acceptances"));
        if (batch.isEmpty()) {
            throw new LegalException(LegalException.Reason.INVALID_INPUT, "record at least one acceptance");
        }
        try (Connection c = dataSource.getConnection()) {
            // The chain trigger reads the head after taking its lock: that needs a fresh snapshot per statement.
            return AppendTransaction.inReadCommitted(c, tx -> {
                List<Acceptance> stored = new ArrayList<>();
                for (NewAcceptance acceptance : batch) {
                    stored.add(insert(tx, acceptance, chainKeys, chain));
                }
                return stored;
            });
        } catch (SQLException e) {
            throw storageFailure("record acceptances", e);
        }
    }

    private static Acceptance insert(Connection c, NewAcceptance a, @Nullable ChainKeys keys, JdbcChain chain)
            throws SQLException {
        String storedHash;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT content_sha256 FROM legal.documents WHERE kind = ? AND version = ? FOR SHARE")) {
            ps.setString(1, a.kind().name());
            ps.setString(2, a.version());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw unknownDocument(a.kind(), a.version());
                }
                storedHash = rs.getString(1);
            }
        }
        if (a.expectedSha256() != null && !a.expectedSha256().equals(storedHash)) {
            throw documentChanged(a.kind(), a.version());
        }
        Instant at = a.acceptedAt().truncatedTo(ChronoUnit.MICROS);
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO legal.acceptances (user_id, document_kind,"
                + " document_version, content_sha256, accepted_at, source, ip_hash, user_agent_hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, a.userId());
            ps.setString(2, a.kind().name());
            ps.setString(3, a.version());
            ps.setString(4, storedHash);
            ps.setObject(5, JdbcValues.utc(at));
            ps.setString(6, a.source());
            JdbcValues.setNullableString(ps, 7, a.ipHash());
            JdbcValues.setNullableString(ps, 8, a.userAgentHash());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        String details = acceptanceDetails(a.kind(), a.version(), storedHash, a.source());
        if (keys == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO legal.audit_log (event_type, subject_id,"
                    + " acceptance_id, details, occurred_at) VALUES (?, ?, ?, ?::jsonb, ?)")) {
                ps.setString(1, AuditEntry.ACCEPTANCE_EVENT);
                ps.setString(2, a.userId());
                ps.setLong(3, id);
                ps.setString(4, details);
                ps.setObject(5, JdbcValues.utc(at));
                ps.executeUpdate();
            }
        } else {
            insertKeyed(c, keys, chain, a.userId(), id, details, at);
        }
        return new Acceptance(id, a.userId(), a.kind(), a.version(), storedHash, at, a.source(), a.ipHash(),
                a.userAgentHash());
    }

    private static void insertKeyed(Connection c, ChainKeys keys, JdbcChain chain, String userId, long acceptanceId,
                                    String details, Instant at) throws SQLException {
        JdbcChain.Next next = chain.lockNext(c);
        String prevHash;
        String storedDetails;
        // what the trigger will store: the head's row_hash as prev_hash, the details as jsonb prints them
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT row_hash FROM legal.audit_log WHERE seq = ?),"
                + " ?::jsonb::text")) {
            ps.setLong(1, next.seq() - 1);
            ps.setString(2, details);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                prevHash = rs.getString(1) == null ? ChainCodec.GENESIS : rs.getString(1);
                storedDetails = rs.getString(2);
            }
        }
        JdbcChain.Link link = chain.link(keys.current(), next, List.of(AuditEntry.ACCEPTANCE_EVENT, userId,
                Long.toString(acceptanceId), storedDetails, ChainCodec.time(at), prevHash));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO legal.audit_log (seq, event_type, subject_id,"
                + " acceptance_id, details, occurred_at, chain_key_id, chain_mac, chain_hash)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)")) {
            ps.setLong(1, next.seq());
            ps.setString(2, AuditEntry.ACCEPTANCE_EVENT);
            ps.setString(3, userId);
            ps.setLong(4, acceptanceId);
            ps.setString(5, details);
            ps.setObject(6, JdbcValues.utc(at));
            ps.setString(7, link.keyId());
            ps.setString(8, link.mac());
            ps.setString(9, link.hash());
            ps.executeUpdate();
        }
    }

    static String acceptanceDetails(DocumentKind kind, String version, String sha256, String source) {
        return "{\"document_kind\":" + JsonText.quote(kind.name()) + ",\"document_version\":" + JsonText.quote(version)
                + ",\"content_sha256\":" + JsonText.quote(sha256) + ",\"source\":" + JsonText.quote(source) + "}";
    }

    @Override
    public List<Acceptance> acceptances(String userId) {
        Objects.requireNonNull(userId, "userId");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ACCEPTANCE_COLUMNS
                     + " FROM legal.acceptances WHERE user_id = ? ORDER BY accepted_at, id")) {
            ps.setString(1, userId);
            List<Acceptance> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Acceptance(rs.getLong(1), rs.getString(2), DocumentKind.of(rs.getString(3)),
                            rs.getString(4), rs.getString(5), instant(rs, 6), rs.getString(7), rs.getString(8),
                            rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storageFailure("read acceptances", e);
        }
    }

    @Override
    public List<AuditEntry> auditLog(long afterSeq, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, event_type, subject_id, acceptance_id,"
                     + " details::text, occurred_at, prev_hash, row_hash FROM legal.audit_log WHERE seq > ?"
                     + " ORDER BY seq LIMIT ?")) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, limit);
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long acceptanceId = rs.getLong(4);
                    Long ref = rs.wasNull() ? null : acceptanceId;
                    out.add(new AuditEntry(rs.getLong(1), rs.getString(2), rs.getString(3), ref, rs.getString(5),
                            instant(rs, 6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw storageFailure("read the audit log", e);
        }
    }

    @Override
    public AuditChainCheckpoint checkpoint(Instant takenAt) {
        Objects.requireNonNull(takenAt, "takenAt");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT seq, row_hash FROM legal.audit_log ORDER BY seq DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new AuditChainCheckpoint(rs.getLong(1), rs.getString(2), takenAt)
                    : new AuditChainCheckpoint(0, "0".repeat(64), takenAt);
        } catch (SQLException e) {
            throw storageFailure("read the audit chain head", e);
        }
    }

    @Override
    public IntegrityReport verifyIntegrity() {
        return SqlIntegrityVerifier.of(dataSource, VERIFY_FUNCTION).verify();
    }

    @Override
    public IntegrityReport verifyCheckpoint(AuditChainCheckpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT check_name, status, detail FROM legal.verify_audit_checkpoint(?, ?)")) {
            ps.setLong(1, checkpoint.seq());
            ps.setString(2, checkpoint.rowHash());
            List<IntegrityCheck> checks = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checks.add(new IntegrityCheck(rs.getString(1), IntegrityCheck.Status.parse(rs.getString(2)),
                            rs.getString(3)));
                }
            }
            return new IntegrityReport(checks);
        } catch (SQLException e) {
            throw storageFailure("verify the audit checkpoint", e);
        }
    }

    private static LegalDocument document(ResultSet rs) throws SQLException {
        return new LegalDocument(DocumentKind.of(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs, 5), rs.getString(6), rs.getString(7), rs.getBoolean(8));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    static LegalException unknownDocument(DocumentKind kind, String version) {
        return new LegalException(LegalException.Reason.UNKNOWN_DOCUMENT, "document " + kind + " "
                + DocumentKind.abbreviate(version) + " is not published: publish it first or accept a published version");
    }

    static LegalException documentChanged(DocumentKind kind, String version) {
        return new LegalException(LegalException.Reason.DOCUMENT_CHANGED, "the text of " + kind + " " + version
                + " shown to the user is not the stored text (SHA-256 differs): show the stored text again");
    }

    private static LegalException storageFailure(String what, SQLException e) {
        String state = e.getSQLState();
        if (WriteFailure.isRefusedValue(state, WriteFailure.IntegrityViolations.CHECK_AND_NOT_NULL)) {
            return new LegalException(LegalException.Reason.INVALID_INPUT,
                    WriteFailure.refusedValueMessage(what, state));
        }
        return new LegalException(LegalException.Reason.STORAGE_FAILURE,
                WriteFailure.storageFailureMessage(what, state), e);
    }

    @Override
    public String toString() {
        return "PostgresLegalRepository[" + (chainKeys == null ? "plain chain" : "keyed chain, " + chainKeys) + "]";
    }
}
