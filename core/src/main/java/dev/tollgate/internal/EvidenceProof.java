package dev.tollgate.internal;

import dev.tollgate.TollgateException;
import dev.tollgate.evidence.ChainEntry;
import dev.tollgate.evidence.SignedCheckpoint;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the proof that a subject's rows are in a stream as of a signed checkpoint, as JSON a third party checks with
 * the JDK alone (format {@code tollgate.proof.v1}, described in the consent and legal READMEs). Internal: not part of
 * the API.
 *
 * <p>The proof lists every row from the subject's first keyed row to the covering checkpoint's row: the subject's own
 * rows with their fields and chain values, every other row as the SHA-256 of its canonical bytes only (no personal
 * data of others), and the public chain hash before the first row. Recomputing the public chain over them must end
 * at the checkpoint's signed hash.
 */
public final class EvidenceProof {

    private EvidenceProof() {
    }

    /**
     * @param chain the stream
     * @param subjectColumn the column holding the subject id
     * @param subject the subject
     * @param checkpoints checkpoints kept outside the database (of any stream)
     * @return the proof as JSON
     * @throws TollgateException when the subject has no keyed row, or no checkpoint covers the newest of them
     */
    public static String export(JdbcChain chain, String subjectColumn, String subject,
                                List<SignedCheckpoint> checkpoints) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(checkpoints, "checkpoints");
        List<Long> own = chain.keyedSeqsOf(subjectColumn, subject);
        if (own.isEmpty()) {
            throw new TollgateException("this subject has no row in the keyed " + chain.name()
                    + " chain: rows written before the chain keys were configured are not covered by a proof");
        }
        long first = own.get(0);
        long last = own.get(own.size() - 1);
        Optional<SignedCheckpoint> covering = checkpoints.stream()
                .filter(c -> c.stream().equals(chain.name()) && c.seq() >= last)
                .min(Comparator.comparingLong(SignedCheckpoint::seq));
        if (covering.isEmpty()) {
            throw new TollgateException("no " + chain.name() + " checkpoint covers seq " + last + " yet: take one"
                    + " (Checkpointer.checkpointNow()) and export again");
        }
        SignedCheckpoint checkpoint = covering.get();
        StringBuilder json = new StringBuilder(4096);
        json.append("{\"format\":\"tollgate.proof.v1\",\"stream\":").append(quote(chain.name()))
                .append(",\"subject\":").append(quote(subject))
                .append(",\"checkpoint\":").append(checkpoint.toJson());
        String[] previous = {ChainCodec.GENESIS};
        if (first > 1) {
            chain.forEachEntry(first - 1, first - 1, e -> previous[0] = e.hash() == null ? ChainCodec.GENESIS : e.hash());
        }
        json.append(",\"previous_hash\":").append(quote(previous[0])).append(",\"rows\":[");
        Set<Long> mine = new HashSet<>(own);
        boolean[] comma = {false};
        chain.forEachEntry(first, checkpoint.seq(), e -> {
            json.append(comma[0] ? "," : "");
            comma[0] = true;
            json.append("{\"seq\":").append(e.seq());
            if (mine.contains(e.seq())) {
                json.append(",\"fields\":[");
                for (int i = 0; i < e.fields().size(); i++) {
                    json.append(i == 0 ? "" : ",").append(quote(e.fields().get(i)));
                }
                json.append("],\"chain_key_id\":").append(quote(String.valueOf(e.keyId())))
                        .append(",\"chain_mac\":").append(quote(String.valueOf(e.mac())))
                        .append(",\"chain_hash\":").append(quote(String.valueOf(e.hash())));
            } else {
                json.append(",\"digest\":").append(quote(digest(chain.name(), e)));
            }
            json.append('}');
        });
        return json.append("]}").toString();
    }

    private static String digest(String stream, ChainEntry e) {
        return ChainCodec.digest(ChainCodec.canonical(stream, e.fields()));
    }

    /**
     * @param text any text
     * @return it as a JSON string literal
     */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
