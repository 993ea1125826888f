package dev.tollgate.internal;

import dev.tollgate.evidence.ChainEntry;
import dev.tollgate.evidence.ChainHead;
import dev.tollgate.evidence.ChainKey;
import dev.tollgate.evidence.EvidenceStream;
import dev.tollgate.TollgateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * An append-only PostgreSQL table with keyed chain columns ({@code chain_key_id}, {@code chain_mac},
 * {@code chain_hash}) and a sequence column, seen as an {@link EvidenceStream}; and the write side: the next link,
 * read under the table's advisory lock. Shared by consent and legal. Internal: not part of the API.
 */
public final class JdbcChain implements EvidenceStream {

    /** Reads a row's fields, in canonical order and without the sequence number, from the columns after the chain's. */
    @FunctionalInterface
    public interface Fields {
        /**
         * @param rs the result set positioned on a row; the fields start at column 5
         * @return the fields
         * @throws SQLException from the driver
         */
        List<String> read(ResultSet rs) throws SQLException;
    }

    /**
     * Where the next row goes.
     *
     * @param seq its sequence number
     * @param previousMac the keyed value of the newest keyed row (or zeros)
     * @param previousHash the public hash of the newest keyed row (or zeros)
     */
    public record Next(long seq, String previousMac, String previousHash) {
    }

    /**
     * The chain values of a new row.
     *
     * @param keyId the key id
     * @param mac the keyed value
     * @param hash the public hash
     */
    public record Link(String keyId, String mac, String hash) {
    }

    private static final int BATCH = 5000;

    private final DataSource dataSource;
    private final String name;
    private final String table;
    private final String seqColumn;
    private final String fieldColumns;
    private final @Nullable String rowFilter;
    private final long lockKey;
    private final Fields fields;
    private @Nullable String outsideChainSql;

    /**
     * @param dataSource the database
     * @param name the stream name
     * @param table the qualified table
     * @param seqColumn its sequence column
     * @param fieldColumns the select list of the canonical fields after the sequence number
     * @param rowFilter an extra condition for the rows read, or {@code null}
     * @param lockKey the advisory lock key the table's insert trigger takes
     * @param fields reads the fields
     */
    public JdbcChain(DataSource dataSource, String name, String table, String seqColumn, String fieldColumns,
                     @Nullable String rowFilter, long lockKey, Fields fields) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.name = Objects.requireNonNull(name, "name");
        this.table = Objects.requireNonNull(table, "table");
        this.seqColumn = Objects.requireNonNull(seqColumn, "seqColumn");
        this.fieldColumns = Objects.requireNonNull(fieldColumns, "fieldColumns");
        this.rowFilter = rowFilter;
        this.lockKey = lockKey;
        this.fields = Objects.requireNonNull(fields, "fields");
    }

    /**
     * @param sql a query returning one row, a count and the first row's id, of rows written after the chain began
     *     without a sequence number
     * @return this chain
     */
    public JdbcChain outsideChain(String sql) {
        this.outsideChainSql = Objects.requireNonNull(sql, "sql");
        return this;
    }

    @Override
    public Optional<String> rowsOutsideChain() {
        if (outsideChainSql == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(outsideChainSql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            return n == 0 ? Optional.empty() : Optional.of(n + " rows of " + table + " written after"
                    + " the chain began have no " + seqColumn + " (the first is id " + rs.getLong(2) + "): inserted"
                    + " with the triggers off");
        } catch (SQLException e) {
            throw new TollgateException("could not read " + table + " (SQL state " + e.getSQLState()
                    + "): check the database connection and migrations", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ChainHead head() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + seqColumn + ", chain_mac, chain_hash FROM " + table
                     + " WHERE chain_mac IS NOT NULL ORDER BY " + seqColumn + " DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new ChainHead(name, rs.getLong(1), rs.getString(2), rs.getString(3))
                    : new ChainHead(name, 0, ChainCodec.GENESIS, ChainCodec.GENESIS);
        } catch (SQLException e) {
            throw new TollgateException("could not read the head of " + table + " (SQL state " + e.getSQLState()
                    + "): check the database connection and migrations", e);
        }
    }

    @Override
    public void forEachEntry(Consumer<ChainEntry> consumer) {
        forEachEntry(Long.MIN_VALUE, Long.MAX_VALUE, consumer);
    }

    /**
     * @param fromSeq the first sequence number to read
     * @param toSeq the last sequence number to read
     * @param consumer receives each row in sequence order
     */
    public void forEachEntry(long fromSeq, long toSeq, Consumer<ChainEntry> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        String sql = "SELECT " + seqColumn + ", chain_key_id, chain_mac, chain_hash, " + fieldColumns + " FROM " + table
                + " WHERE " + seqColumn + " > ? AND " + seqColumn + " <= ?" + (rowFilter == null ? "" : " AND "
                + rowFilter) + " ORDER BY " + seqColumn + " LIMIT " + BATCH;
        long after = fromSeq == Long.MIN_VALUE ? fromSeq : fromSeq - 1;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                ps.setLong(1, after);
                ps.setLong(2, toSeq);
                int n = 0;
                List<ChainEntry> batch = new ArrayList<>(BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        List<String> row = new ArrayList<>();
                        row.add(Long.toString(seq));
                        row.addAll(fields.read(rs));
                        batch.add(new ChainEntry(seq, rs.getString(2), rs.getString(3), rs.getString(4), row));
                        after = seq;
                        n++;
                    }
                }
                batch.forEach(consumer);
                if (n < BATCH) {
                    return;
                }
            }
        } catch (SQLException e) {
            throw new TollgateException("could not read " + table + " (SQL state " + e.getSQLState()
                    + "): check the database connection and migrations", e);
        }
    }

    /**
     * @param subjectColumn the column that holds the subject id
     * @param subject the subject whose rows are wanted
     * @return the sequence numbers of the subject's keyed rows, ascending
     */
    public List<Long> keyedSeqsOf(String subjectColumn, String subject) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + seqColumn + " FROM " + table + " WHERE "
                     + subjectColumn + " = ? AND chain_mac IS NOT NULL ORDER BY " + seqColumn)) {
            ps.setString(1, subject);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new TollgateException("could not read " + table + " (SQL state " + e.getSQLState()
                    + "): check the database connection and migrations", e);
        }
    }

    /**
     * Takes the table's advisory lock in the connection's transaction (held until commit, so no other writer moves
     * the head) and reads where the next row goes.
     *
     * @param c a connection in a transaction at READ COMMITTED
     * @return the next link's position and predecessors
     * @throws SQLException from the driver
     */
    public Next lockNext(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, lockKey);
            ps.execute();
        }
        // A new statement after the lock: its snapshot sees every row committed before the lock was granted.
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT max(" + seqColumn + ") FROM " + table + "),"
                + " k.chain_mac, k.chain_hash FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT chain_mac, chain_hash FROM "
                + table + " WHERE chain_mac IS NOT NULL ORDER BY " + seqColumn + " DESC LIMIT 1) k ON true");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long head = rs.getLong(1);
            String mac = rs.getString(2);
            String hash = rs.getString(3);
            return new Next(head + 1, mac == null ? ChainCodec.GENESIS : mac, hash == null ? ChainCodec.GENESIS : hash);
        }
    }

    /**
     * @param key the current chain key
     * @param next where the row goes
     * @param rowFields the row's fields without the sequence number, as {@link Fields} reads them back
     * @return the row's chain values
     */
    public Link link(ChainKey key, Next next, List<String> rowFields) {
        List<String> all = new ArrayList<>(rowFields.size() + 1);
        all.add(Long.toString(next.seq()));
        all.addAll(rowFields);
        byte[] canonical = ChainCodec.canonical(name, all);
        return new Link(key.id(), ChainCodec.mac(key.secret().revealBytes(), next.previousMac(), canonical),
                ChainCodec.link(next.previousHash(), ChainCodec.digest(canonical)));
    }

    @Override
    public String toString() {
        return "JdbcChain[" + name + " on " + table + "]";
    }
}
