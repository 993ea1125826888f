package dev.tollgate.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.benchmarks.StandIn;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code latest.json} from one run's JMH JSON and pgbench output:
 * <pre>{@code
 * {"machine": {cores, memory, java, os, cpu_model, postgres_version, date},
 *  "run": {mode, jmh_options, pgbench},
 *  "benchmarks": {name: {"score", "unit", "error", "stand_in"?}},
 *  "ratios": {name: value},
 *  "goals": {name: {"goal", "result": "pass"|"miss"|"missing", "stand_in", "note"?}},
 *  "context": {name: {"value", "of", "note"}}}
 * }</pre>
 * A figure measured through a {@link StandIn} benchmark carries {@code "stand_in"} (what replaces it), and
 * so does every goal computed from one: those results say nothing about Tollgate yet.
 *
 * <p>Usage: {@code java -cp tollgate-benchmarks.jar dev.tollgate.benchmarks.report.ResultsReport --jmh
 * jmh.json --pgbench pgbench.log --postgres-version 15.18 --mode quick --jmh-options "…" --pgbench-options
 * "…" --out latest.json}. Exits with status 2 (after writing the file) when a figure is missing.
 */
public final class ResultsReport {

    private static final List<String> OPTIONS = List.of("--jmh", "--pgbench", "--postgres-version", "--mode",
            "--jmh-options", "--pgbench-options", "--out");

    private ResultsReport() {
    }

    /**
     * Command line entry point.
     *
     * @param args see the class documentation
     * @throws IOException if an input cannot be read or the output written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = parse(args);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JmhResults jmh = new JmhResults(mapper.readTree(Path.of(options.get("--jmh")).toFile()));
        double tps = PgbenchOutput.transactionsPerSecond(Files.readString(Path.of(options.get("--pgbench"))));
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("mode", options.get("--mode"));
        run.put("jmh_options", options.get("--jmh-options"));
        run.put("pgbench", options.get("--pgbench-options"));
        ObjectNode report = build(jmh, tps,
                MachineInfo.describe(options.get("--postgres-version"), Clock.systemUTC()), run);
        Path out = Path.of(options.get("--out"));
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, mapper.writeValueAsString(report) + "\n");
        System.out.println(markdownTable(report));
        System.out.println("wrote " + out);
        List<String> missing = missingRatios(report);
        if (!missing.isEmpty()) {
            System.err.println("missing ratios (a benchmark failed or did not run): " + String.join(", ", missing));
            System.exit(2);
        }
    }

    /**
     * Assembles the report.
     *
     * @param jmh the JMH results
     * @param pgbenchTps pgbench's transactions per second, or {@code null} if it did not run
     * @param machine the {@code machine} object
     * @param run the {@code run} object
     * @return the whole report
     */
    public static ObjectNode build(JmhResults jmh, @Nullable Double pgbenchTps, ObjectNode machine, ObjectNode run) {
        return build(jmh, pgbenchTps, machine, run, ResultsReport::standInOf);
    }

    /**
     * Assembles the report, asking {@code standIns} which benchmarks are stand-ins.
     *
     * @param jmh the JMH results
     * @param pgbenchTps pgbench's transactions per second, or {@code null} if it did not run
     * @param machine the {@code machine} object
     * @param run the {@code run} object
     * @param standIns JMH benchmark name → what replaces it, or {@code null} when it measures the real thing
     * @return the whole report
     */
    static ObjectNode build(JmhResults jmh, @Nullable Double pgbenchTps, ObjectNode machine, ObjectNode run,
                            Function<String, @Nullable String> standIns) {
        Objects.requireNonNull(jmh, "jmh");
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.set("machine", Objects.requireNonNull(machine, "machine"));
        report.set("run", Objects.requireNonNull(run, "run"));
        ObjectNode benchmarks = report.putObject("benchmarks");
        Map<String, JmhResults.Figure> figures = new HashMap<>();
        Map<String, String> standInFigures = new HashMap<>();
        for (MetricSource source : BenchmarkCatalog.METRICS) {
            JmhResults.Figure figure = MetricSource.PGBENCH.equals(source.benchmark())
                    ? (pgbenchTps == null ? null : new JmhResults.Figure(pgbenchTps, "ops/s", null))
                    : jmh.find(source).orElse(null);
            if (figure == null) {
                benchmarks.putNull(source.name());
                continue;
            }
            figures.put(source.name(), figure);
            ObjectNode node = benchmarks.putObject(source.name());
            node.put("score", figure.score());
            node.put("unit", figure.unit());
            if (figure.error() == null) {
                node.putNull("error");
            } else {
                node.put("error", figure.error());
            }
            String standIn = MetricSource.PGBENCH.equals(source.benchmark()) ? null : standIns.apply(source.benchmark());
            if (standIn != null) {
                node.put("stand_in", standIn);
                standInFigures.put(source.name(), standIn);
            }
        }
        ObjectNode ratios = report.putObject("ratios");
        ObjectNode goals = report.putObject("goals");
        for (RatioGoal ratio : BenchmarkCatalog.RATIOS) {
            Double value = ratio(ratio, figures);
            ObjectNode goal = goals.putObject(ratio.name());
            goal.put("goal", ratio.describeGoal());
            if (value == null) {
                ratios.putNull(ratio.name());
                goal.put("result", "missing");
            } else {
                ratios.put(ratio.name(), round(value));
                goal.put("result", ratio.isMetBy(value) ? "pass" : "miss");
            }
            goal.put("stand_in", standInFigures.containsKey(ratio.numerator())
                    || (ratio.denominator() != null && standInFigures.containsKey(ratio.denominator())));
            if (ratio.note() != null) {
                goal.put("note", ratio.note());
            }
        }
        ObjectNode context = report.putObject("context");
        for (ContextRatio ratio : BenchmarkCatalog.CONTEXT) {
            Double value = divide(ratio.name(), ratio.numerator(), ratio.denominator(), figures);
            ObjectNode node = context.putObject(ratio.name());
            if (value == null) {
                node.putNull("value");
            } else {
                node.put("value", round(value));
            }
            node.put("of", ratio.numerator() + " / " + ratio.denominator());
            node.put("note", ratio.note());
        }
        return report;
    }

    private static @Nullable Double ratio(RatioGoal ratio, Map<String, JmhResults.Figure> figures) {
        return divide(ratio.name(), ratio.numerator(), ratio.denominator(), figures);
    }

    private static @Nullable Double divide(String name, String numeratorName, @Nullable String denominatorName,
                                           Map<String, JmhResults.Figure> figures) {
        JmhResults.Figure numerator = figures.get(numeratorName);
        if (numerator == null) {
            return null;
        }
        if (denominatorName == null) {
            return inUnit(numerator, numerator.unit().endsWith("/op") && !numerator.unit().startsWith("B")
                    ? "ns/op" : numerator.unit());
        }
        JmhResults.Figure denominator = figures.get(denominatorName);
        if (denominator == null) {
            return null;
        }
        String common = canonicalUnit(numerator.unit());
        if (!common.equals(canonicalUnit(denominator.unit()))) {
            throw new IllegalArgumentException(name + " divides " + numerator.unit() + " by "
                    + denominator.unit() + ": both must be times per operation or both throughputs");
        }
        return inUnit(numerator, common) / inUnit(denominator, common);
    }

    private static String canonicalUnit(String unit) {
        if (unit.startsWith("ops/")) {
            return "ops/s";
        }
        return unit.startsWith("B/") ? unit : "ns/op";
    }

    /**
     * Converts a figure to ns/op (times) or ops/s (throughputs).
     *
     * @param figure the figure
     * @param unit {@code ns/op}, {@code ops/s} or the figure's own unit
     * @return the value in that unit
     */
    static double inUnit(JmhResults.Figure figure, String unit) {
        if (unit.equals(figure.unit())) {
            return figure.score();
        }
        String[] parts = figure.unit().split("/");
        if (unit.equals("ns/op") && parts.length == 2 && parts[1].equals("op")) {
            return figure.score() * nanos(parts[0]);
        }
        if (unit.equals("ops/s") && parts.length == 2 && parts[0].equals("ops")) {
            return figure.score() * 1e9 / nanos(parts[1]);
        }
        throw new IllegalArgumentException("cannot convert " + figure.unit() + " to " + unit);
    }

    private static double nanos(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> throw new IllegalArgumentException("unknown JMH time unit '" + timeUnit + "'");
        };
    }

    private static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4g", value));
    }

    /**
     * @param benchmark a JMH benchmark name, {@code package.Class.method}
     * @return the {@link StandIn} value of that method, or {@code null} if it has none or does not exist
     */
    static @Nullable String standInOf(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        try {
            Class<?> type = Class.forName(benchmark.substring(0, dot), false, ResultsReport.class.getClassLoader());
            for (Method method : type.getMethods()) {
                StandIn standIn = method.getAnnotation(StandIn.class);
                if (method.getName().equals(benchmark.substring(dot + 1)) && standIn != null) {
                    return standIn.value();
                }
            }
        } catch (ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    /**
     * @param report a report from {@link #build}
     * @return the names of ratios that could not be computed
     */
    public static List<String> missingRatios(JsonNode report) {
        return BenchmarkCatalog.RATIOS.stream().map(RatioGoal::name)
                .filter(name -> report.path("ratios").path(name).isNull()).toList();
    }

    /**
     * The ratios as a Markdown table, for the README's performance section.
     *
     * @param report a report from {@link #build}
     * @return the table
     */
    public static String markdownTable(JsonNode report) {
        StringBuilder table = new StringBuilder("| ratio | value | goal | result |\n|---|---:|---|---|\n");
        for (RatioGoal ratio : BenchmarkCatalog.RATIOS) {
            JsonNode goal = report.path("goals").path(ratio.name());
            JsonNode value = report.path("ratios").path(ratio.name());
            table.append("| ").append(ratio.name()).append(" | ").append(value.isNumber() ? value.asText() : "—")
                    .append(" | ").append(goal.path("goal").asText()).append(" | ").append(goal.path("result").asText())
                    .append(goal.path("stand_in").asBoolean() ? " (stand-in)" : "").append(" |\n");
        }
        table.append("\n| context (no goal) | value | of |\n|---|---:|---|\n");
        for (ContextRatio ratio : BenchmarkCatalog.CONTEXT) {
            JsonNode value = report.path("context").path(ratio.name()).path("value");
            table.append("| ").append(ratio.name()).append(" | ").append(value.isNumber() ? value.asText() : "—")
                    .append(" | ").append(ratio.numerator()).append(" / ").append(ratio.denominator()).append(" |\n");
        }
        return table.toString();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
                problems.append("unexpected argument '").append(args[i]).append("'; ");
                continue;
            }
            options.put(args[i], args[++i]);
        }
        for (String option : OPTIONS) {
            if (!options.containsKey(option)) {
                problems.append("missing ").append(option).append("; ");
            }
        }
        if (problems.length() > 0) {
            throw new IllegalArgumentException(problems + "usage: ResultsReport " + String.join(" <…> ", OPTIONS)
                    + " <…>");
        }
        return options;
    }
}
