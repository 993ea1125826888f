package dev.tollgate.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The answers to one delivery replayed N times by a {@link Replayer}, and the exactly-once assertion.
 *
 * <pre>{@code
 * ReplayResult result = Replayer.to(pipeline).concurrently(delivery, 20);
 * result.assertExactlyOnce(dataSource, () -> countRows("paid_invoices"));
 * }</pre>
 */
public final class ReplayResult {

    private final SignedDelivery delivery;
    private final String mode;
    private final List<ReplayAnswer> answers;

    ReplayResult(SignedDelivery delivery, String mode, List<ReplayAnswer> answers) {
        this.delivery = delivery;
        this.mode = mode;
        this.answers = List.copyOf(answers);
    }

    /** @return the delivery that was replayed */
    public SignedDelivery delivery() {
        return delivery;
    }

    /** @return the answers, in the order they were sent (sequence) or submitted (concurrent) */
    public List<ReplayAnswer> answers() {
        return answers;
    }

    /** @return how many answers said the event was handled now ({@code processed} or {@code queued}) */
    public int firstHandlings() {
        return (int) answers.stream().filter(ReplayAnswer::isFirstHandling).count();
    }

    /**
     * Counts the answers with an HTTP status.
     *
     * @param httpStatus the status
     * @return how many answers had it
     */
    public int count(int httpStatus) {
        return (int) answers.stream().filter(a -> a.httpStatus() == httpStatus).count();
    }

    /** @return the distinct answers with their counts, such as {@code 1 × 200 {…processed…}; 2 × 200 {…skipped…}} */
    public String summary() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        answers.forEach(a -> counts.merge(a.toString(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((answer, n) -> parts.add(n + " × " + answer));
        return String.join("; ", parts);
    }

    /**
     * Asserts exactly-once without a database: no error answer (only 2xx, or 409 {@code in_progress} while
     * another delivery held the event), exactly one {@code processed}/{@code queued} answer, and exactly one
     * effect. For an asynchronous pipeline, let the worker finish (for example {@code worker.runOnce()})
     * before asserting.
     *
     * @param effects reads how many times the handler's effect happened (a counter, a row count)
     * @throws AssertionError listing every violation and what was seen
     */
    public void assertExactlyOnce(IntSupplier effects) {
        Objects.requireNonNull(effects, "effects");
        check(null, effects);
    }

    /**
     * Asserts exactly-once: as {@link #assertExactlyOnce(IntSupplier)}, and exactly one row for the event in
     * {@code webhooks.events}.
     *
     * @param dataSource the database of the pipeline's {@code PostgresIdempotencyStore}
     * @param effects reads how many times the handler's effect happened
     * @throws AssertionError listing every violation and what was seen
     */
    public void assertExactlyOnce(DataSource dataSource, IntSupplier effects) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(effects, "effects");
        check(dataSource, effects);
    }

    private void check(@Nullable DataSource dataSource, IntSupplier effects) {
        List<String> violations = new ArrayList<>();
        List<ReplayAnswer> errors = answers.stream()
                .filter(a -> !a.isSuccess() && !(a.httpStatus() == 409 && a.status().filter("in_progress"::equals).isPresent()))
                .toList();
        if (!errors.isEmpty()) {
            violations.add(errors.size() + " answer(s) were neither 2xx nor 409 in_progress");
        }
        int first = firstHandlings();
        if (first != 1) {
            violations.add("expected exactly 1 \"processed\" (or \"queued\") answer, saw " + first);
        }
        String rowsSeen = "";
        if (dataSource != null) {
            List<String> rows = storedRows(dataSource);
            if (rows.size() != 1) {
                violations.add("expected 1 row in webhooks.events, saw " + rows.size());
            }
            rowsSeen = "\n  webhooks.events rows for (" + delivery.provider() + ", " + delivery.eventId() + "): "
                    + rows.size() + (rows.isEmpty() ? "" : " " + rows);
        }
        int effectCount = effects.getAsInt();
        if (effectCount != 1) {
            violations.add("expected 1 effect, saw " + effectCount);
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("exactly-once violated for " + delivery.provider() + " event "
                    + delivery.eventId() + " (" + delivery.eventType() + "), " + answers.size() + " " + mode
                    + " deliveries:\n  - " + String.join("\n  - ", violations)
                    + "\nseen:\n  answers: " + summary() + rowsSeen + "\n  effects: " + effectCount);
        }
    }

    private List<String> storedRows(DataSource dataSource) {
        String sql = "SELECT state, attempts FROM webhooks.events WHERE provider = ? AND event_id = ?";
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, delivery.provider());
            ps.setString(2, delivery.eventId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add("state=" + rs.getString(1) + " attempts=" + rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read webhooks.events (are the Tollgate migrations applied "
                    + "to this data source?): " + e.getMessage(), e);
        }
        return rows;
    }

    @Override
    public String toString() {
        return "ReplayResult[" + delivery.provider() + " " + delivery.eventId() + ", " + answers.size() + " " + mode
                + ": " + summary() + "]";
    }
}
