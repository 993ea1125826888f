package dev.tollgate.legal.internal;

import dev.tollgate.internal.Digests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * The hash of one {@code legal.audit_log} row, as {@code legal.audit_row_hash_v2()} computes it (migration V3): the
 * SHA-256 (lower-case hex) of {@code tollgate.legal.audit.v2} followed by each field as
 * {@code <UTF-8 byte length>:<text>}, so that no two rows' fields make the same string, whatever a free-text field
 * such as the subject id contains.
 */
public final class AuditRowHash {

    /** The prefix that names the formula. */
    static final String PREFIX = "tollgate.legal.audit.v2";

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditRowHash() {
    }

    /**
     * Computes a row's hash.
     *
     * @param seq the row's position in the chain
     * @param eventType the event type
     * @param subjectId the subject (free text)
     * @param acceptanceId the acceptance, or {@code null}
     * @param details the details as the stored JSON text
     * @param occurredAt when it happened (microseconds are kept)
     * @param prevHash the previous row's hash
     * @return 64 lower-case hex digits
     */
    public static String v2(long seq, String eventType, String subjectId, @Nullable Long acceptanceId, String details,
                            Instant occurredAt, String prevHash) {
        StringBuilder text = new StringBuilder(PREFIX);
        for (String field : new String[] {Long.toString(seq), eventType, subjectId,
                acceptanceId == null ? "" : acceptanceId.toString(), details, MICROS.format(occurredAt), prevHash}) {
            text.append(field.getBytes(StandardCharsets.UTF_8).length).append(':').append(field);
        }
        return Digests.sha256Hex(text.toString());
    }
}
