package dev.tollgate.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/** How Tollgate's PostgreSQL repositories bind values: instants as UTC {@code timestamptz}, nullable text. */
public final class JdbcValues {

    private JdbcValues() {
    }

    /**
     * @param instant an instant
     * @return the same instant at UTC, which pgjdbc binds as {@code timestamptz}
     */
    public static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Binds text that may be absent.
     *
     * @param ps the statement
     * @param index the parameter, from 1
     * @param value the text, or {@code null} for SQL NULL
     * @throws SQLException when the driver refuses
     */
    public static void setNullableString(PreparedStatement ps, int index, @Nullable String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
