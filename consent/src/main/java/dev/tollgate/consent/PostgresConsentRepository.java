package dev.tollgate.consent;

import dev.tollgate.consent.internal.ConsentJson;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.integrity.SqlIntegrityVerifier;
import dev.tollgate.evidence.ChainKeys;
import dev.tollgate.evidence.EvidenceStream;
import dev.tollgate.evidence.SignedCheckpoint;
import dev.tollgate.internal.ChainCodec;
import dev.tollgate.internal.EvidenceProof;
import dev.tollgate.internal.JdbcChain;
import dev.tollgate.internal.JdbcValues;
import dev.tollgate.internal.appendonly.AppendTransaction;
import dev.tollgate.internal.appendonly.WriteFailure;
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
 * The {@link ConsentRepository} on PostgreSQL tables {@code consent.policies} and {@code consent.records}
 * (migration {@code db/tollgate/consent}). Works with any {@link DataSource}; prepared statements only; each
 * write is a single atomic statement. A trigger refuses UPDATE, DELETE and TRUNCATE of records, whoever runs
 * them. Timestamps are stored to the microsecond.
 *
 * <p>Every record gets a position in the record chain ({@code chain_seq}, migration V3). Built with
 * {@link ChainKeys}, every record it appends also carries a keyed chain value (HMAC-SHA256 under the current key,
 * computed here: the key never reaches PostgreSQL) and a public chain hash; see {@link #evidence()} for checkpoints
 * and verification and {@link #exportProof(String, List)} for a dispute.
 */
public final class PostgresConsentRepository implements ConsentRepository {

    /**
     * The SQL verifier function this repository's {@link #verifyIntegrity()} runs, for
     * {@code SqlIntegrityVerifier.of(dataSource, VERIFY_FUNCTION)} in health checks.
     */
    public static final String VERIFY_FUNCTION = "consent.verify_consent_schema";

    private static final String POLICY_COLUMNS = "version, effective_at, purposes::text, text_sha256, shown_text";
    private static final String RECORD_COLUMNS = "id, subject_id, policy_version, choice, purposes::text, withdrawal,"
            + " source, recorded_at, ip_hash, user_agent_hash";

    /** The advisory lock the record chain trigger takes; do not use this key for anything else. */
    static final long CHAIN_LOCK = 7587384251129587714L;

    private final DataSource dataSource;
    private final @Nullable ChainKeys chainKeys;
    private final JdbcChain chain;

    /**
     * A repository whose records carry no keyed chain values.
     *
     * @param dataSource the database, migrated with {@code SchemaMigrator.forModules("consent")}
     */
    public PostgresConsentRepository(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * A repository whose new records carry the keyed chain.
     *
     * @param dataSource the database, migrated with {@code SchemaMigrator.forModules("consent")}
     * @param chainKeys the chain keys; new records are written with the current one
     */
    public PostgresConsentRepository(DataSource dataSource, @Nullable ChainKeys chainKeys) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.chainKeys = chainKeys;
        this.chain = new JdbcChain(dataSource, "consent", "consent.records", "chain_seq",
                "subject_id, policy_version, choice, purposes::text, withdrawal::text, source, recorded_at,"
                        + " coalesce(ip_hash, ''), coalesce(user_agent_hash, '')", null, CHAIN_LOCK,
                rs -> List.of(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), ChainCodec.time(rs.getObject(11, OffsetDateTime.class).toInstant()),
                        rs.getString(12), rs.getString(13)))
                .outsideChain("SELECT count(*), min(id) FROM consent.records WHERE chain_seq IS NULL AND id >"
                        + " (SELECT min(id) FROM consent.records WHERE chain_seq IS NOT NULL)");
    }

    /**
     * The records as an {@link EvidenceStream} named {@code consent}, for a
     * {@link dev.tollgate.evidence.Checkpointer} and a {@link dev.tollgate.evidence.ChainVerifier}.
     *
     * @return the stream
     */
    public EvidenceStream evidence() {
        return chain;
    }

    /**
     * Exports a subject's consent history with the proof that it is in the record chain as of a signed checkpoint,
     * for a dispute: JSON in the format {@code tollgate.proof.v1} (see the module README for the fields and the
     * JDK-only verification routine). Only records written with chain keys are covered.
     *
     * @param subjectId the subject
     * @param checkpoints signed checkpoints kept outside the database; the oldest one at or after the subject's
     *     newest keyed record is used
     * @return the proof
     * @throws dev.tollgate.TollgateException when the subject has no keyed record or no checkpoint covers it yet
     */
    public String exportProof(String subjectId, List<SignedCheckpoint> checkpoints) {
        Objects.requireNonNull(subjectId, "subjectId");
        return EvidenceProof.export(chain, "subject_id", subjectId, checkpoints);
    }

    @Override
    public void publish(ConsentPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO consent.policies (version, effective_at, purposes,"
                     + " text_sha256, shown_text) VALUES (?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, policy.version().toString());
            ps.setObject(2, JdbcValues.utc(policy.effectiveAt()));
            ps.setString(3, ConsentJson.purposesToJson(policy.purposes()));
            ps.setString(4, policy.textSha256());
            JdbcValues.setNullableString(ps, 5, policy.shownText());
            if (ps.executeUpdate() == 0) {
                throw new ConsentException(ConsentException.Reason.DUPLICATE_VERSION, "consent policy "
                        + policy.version() + " is already published; published policies never change: publish a new version");
            }
        } catch (SQLException e) {
            throw failure("publish a consent policy", e);
        }
    }

    @Override
    public Optional<ConsentPolicy> policy(PolicyVersion version) {
        Objects.requireNonNull(version, "version");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + POLICY_COLUMNS
                     + " FROM consent.policies WHERE version = ?")) {
            ps.setString(1, version.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(policy(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read a consent policy", e);
        }
    }

    @Override
    public List<ConsentPolicy> policies() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + POLICY_COLUMNS
                     + " FROM consent.policies ORDER BY major, minor");
             ResultSet rs = ps.executeQuery()) {
            List<ConsentPolicy> out = new ArrayList<>();
            while (rs.next()) {
                out.add(policy(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failure("read consent policies", e);
        }
    }

    @Override
    public ConsentRecord append(NewConsentRecord r) {
        Objects.requireNonNull(r, "record");
        Instant at = r.recordedAt().truncatedTo(ChronoUnit.MICROS);
        if (chainKeys != null) {
            return appendKeyed(r, at, chainKeys);
        }
        // One statement: the row is written only if the policy exists.
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO consent.records (subject_id, policy_version, choice,"
                     + " purposes, withdrawal, source, recorded_at, ip_hash, user_agent_hash)"
                     + " SELECT ?, p.version, ?, ?::jsonb, ?, ?, ?, ?, ? FROM consent.policies p WHERE p.version = ?"
                     + " RETURNING id")) {
            ps.setString(1, r.subjectId());
            ps.setString(2, r.choice().code());
            ps.setString(3, ConsentJson.decisionsToJson(r.purposes()));
            ps.setBoolean(4, r.withdrawal());
            ps.setString(5, r.source());
            ps.setObject(6, JdbcValues.utc(at));
            JdbcValues.setNullableString(ps, 7, r.ipHash());
            JdbcValues.setNullableString(ps, 8, r.userAgentHash());
            ps.setString(9, r.policyVersion().toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw unknownPolicy(r.policyVersion());
                }
                return new ConsentRecord(rs.getLong(1), r.subjectId(), r.policyVersion(), r.choice(), r.purposes(),
                        r.withdrawal(), r.source(), at, r.ipHash(), r.userAgentHash());
            }
        } catch (SQLException e) {
            throw failure("record a consent decision", e);
        }
    }

    private ConsentRecord appendKeyed(NewConsentRecord r, Instant at, ChainKeys keys) {
        String purposes = ConsentJson.decisionsToJson(r.purposes());
        try (Connection c = dataSource.getConnection()) {
            long id = AppendTransaction.inReadCommitted(c, tx -> {
                JdbcChain.Next next = chain.lockNext(tx);
                String storedPurposes;
                try (PreparedStatement ps = tx.prepareStatement("SELECT ?::jsonb::text")) {
                    ps.setString(1, purposes);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        storedPurposes = rs.getString(1);
                    }
                }
                JdbcChain.Link link = chain.link(keys.current(), next, List.of(r.subjectId(),
                        r.policyVersion().toString(), r.choice().code(), storedPurposes, Boolean.toString(r.withdrawal()),
                        r.source(), ChainCodec.time(at), Objects.requireNonNullElse(r.ipHash(), ""),
                        Objects.requireNonNullElse(r.userAgentHash(), "")));
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO consent.records (subject_id,"
                        + " policy_version, choice, purposes, withdrawal, source, recorded_at, ip_hash, user_agent_hash,"
                        + " chain_seq, chain_key_id, chain_mac, chain_hash)"
                        + " SELECT ?, p.version, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM consent.policies p"
                        + " WHERE p.version = ? RETURNING id")) {
                    ps.setString(1, r.subjectId());
                    ps.setString(2, r.choice().code());
                    ps.setString(3, purposes);
                    ps.setBoolean(4, r.withdrawal());
                    ps.setString(5, r.source());
                    ps.setObject(6, JdbcValues.utc(at));
                    JdbcValues.setNullableString(ps, 7, r.ipHash());
                    JdbcValues.setNullableString(ps, 8, r.userAgentHash());
                    ps.setLong(9, next.seq());
                    ps.setString(10, link.keyId());
                    ps.setString(11, link.mac());
                    ps.setString(12, link.hash());
                    ps.setString(13, r.policyVersion().toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw unknownPolicy(r.policyVersion());
                        }
                        return rs.getLong(1);
                    }
                }
            });
            return new ConsentRecord(id, r.subjectId(), r.policyVersion(), r.choice(), r.purposes(), r.withdrawal(),
                    r.source(), at, r.ipHash(), r.userAgentHash());
        } catch (SQLException e) {
            throw failure("record a consent decision", e);
        }
    }

    @Override
    public Optional<ConsentRecord> latest(String subjectId) {
        List<ConsentRecord> rows = query("SELECT " + RECORD_COLUMNS + " FROM consent.records WHERE subject_id = ?"
                + " ORDER BY recorded_at DESC, id DESC LIMIT 1", subjectId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public List<ConsentRecord> history(String subjectId) {
        return query("SELECT " + RECORD_COLUMNS + " FROM consent.records WHERE subject_id = ?"
                + " ORDER BY recorded_at, id", subjectId);
    }

    private List<ConsentRecord> query(String sql, String subjectId) {
        Objects.requireNonNull(subjectId, "subjectId");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, subjectId);
            List<ConsentRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ConsentRecord(rs.getLong(1), rs.getString(2), PolicyVersion.parse(rs.getString(3)),
                            ConsentChoice.fromCode(rs.getString(4)), ConsentJson.decisionsFromJson(rs.getString(5)),
                            rs.getBoolean(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
                            rs.getString(9), rs.getString(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read consent records", e);
        }
    }

    @Override
    public IntegrityReport verifyIntegrity() {
        return SqlIntegrityVerifier.of(dataSource, VERIFY_FUNCTION).verify();
    }

    private static ConsentPolicy policy(ResultSet rs) throws SQLException {
        return new ConsentPolicy(PolicyVersion.parse(rs.getString(1)), rs.getObject(2, OffsetDateTime.class).toInstant(),
                ConsentJson.purposesFromJson(rs.getString(3)), rs.getString(4), rs.getString(5));
    }

    static ConsentException unknownPolicy(PolicyVersion version) {
        return new ConsentException(ConsentException.Reason.UNKNOWN_POLICY_VERSION, "consent policy " + version
                + " is not published: record decisions against a published version (see ConsentService.currentPolicy())");
    }

    private static ConsentException failure(String what, SQLException e) {
        String state = e.getSQLState();
        if (WriteFailure.isRefusedValue(state, WriteFailure.IntegrityViolations.ALL)) {
            // No cause attached: the driver's detail may quote the failing row, which holds personal data.
            return new ConsentException(ConsentException.Reason.INVALID_INPUT,
                    WriteFailure.refusedValueMessage(what, state));
        }
        return new ConsentException(ConsentException.Reason.STORAGE_FAILURE,
                WriteFailure.storageFailureMessage(what, state), e);
    }

    @Override
    public String toString() {
        return "PostgresConsentRepository[" + (chainKeys == null ? "no keyed chain" : "keyed chain, " + chainKeys)
                + "]";
    }
}
