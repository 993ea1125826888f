package dev.tollgate.health.preflight;

import dev.tollgate.health.internal.JsonText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Go/No-Go answer: every step's verdict. Go when no step failed (warnings do not block).
 *
 * @param startedAt when the preflight started
 * @param steps the steps in the order they ran
 */
public record PreflightReport(Instant startedAt, List<PreflightStepResult> steps) {

    /** Exit code of a Go. */
    public static final int EXIT_GO = 0;
    /** Exit code of a No-Go. */
    public static final int EXIT_NO_GO = 1;

    /**
     * Checks and copies the arguments.
     *
     * @param startedAt when the preflight started
     * @param steps the steps in the order they ran
     */
    public PreflightReport {
        Objects.requireNonNull(startedAt, "startedAt");
        steps = List.copyOf(steps);
    }

    /**
     * @return whether no step failed
     */
    public boolean go() {
        return count(PreflightStatus.FAIL) == 0;
    }

    /**
     * @return {@link #EXIT_GO} or {@link #EXIT_NO_GO}, for a command line
     */
    public int exitCode() {
        return go() ? EXIT_GO : EXIT_NO_GO;
    }

    /**
     * @param status a verdict
     * @return how many steps had it
     */
    public long count(PreflightStatus status) {
        return steps.stream().filter(s -> s.status() == status).count();
    }

    /**
     * The report as JSON: {@code {"go":false,"startedAt":"…","pass":2,"warn":0,"fail":1,"steps":[{"name":…,
     * "status":"FAIL","detail":…,"durationMs":…}]}}.
     *
     * @return the JSON text
     */
    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("go", go());
        body.put("startedAt", startedAt.toString());
        body.put("pass", count(PreflightStatus.PASS));
        body.put("warn", count(PreflightStatus.WARN));
        body.put("fail", count(PreflightStatus.FAIL));
        List<Object> list = new ArrayList<>();
        for (PreflightStepResult s : steps) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", s.name());
            step.put("status", s.status().name());
            step.put("detail", s.detail());
            step.put("durationMs", s.duration().toMillis());
            list.add(step);
        }
        body.put("steps", list);
        return JsonText.write(body);
    }

    /**
     * The report for a terminal: one line per step and the verdict.
     *
     * <pre>
     * Tollgate preflight 2026-11-23T12:00:00Z
     * [PASS] configuration  production, no problems
     * [FAIL] database       cannot reach the database (SQLState 08001): …
     * NO-GO: 1 failed, 0 warnings, 1 passed
     * </pre>
     *
     * @return the text, ending with a newline
     */
    public String toText() {
        int width = steps.stream().mapToInt(s -> s.name().length()).max().orElse(0);
        StringBuilder out = new StringBuilder("Tollgate preflight ").append(startedAt).append('\n');
        for (PreflightStepResult s : steps) {
            out.append('[').append(s.status()).append("] ").append(s.name())
                    .append(" ".repeat(width - s.name().length() + 2))
                    .append(s.detail().replace('\n', ' ')).append('\n');
        }
        out.append(go() ? "GO" : "NO-GO").append(": ").append(count(PreflightStatus.FAIL)).append(" failed, ")
                .append(count(PreflightStatus.WARN)).append(" warnings, ").append(count(PreflightStatus.PASS))
                .append(" passed\n");
        return out.toString();
    }
}
