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
 *  "run": {mode, jmh_options, pgbench, durability},
 *  "benchmarks": {name: {"score", "unit", "error", "durability", "stand_in"?}},
 *  "ratios": {name: value},
 *  "goals": {name: {"goal", "result": "pass"|"miss"|"missing", "durability", "stand_in", "note"?}},
 *  "context": {name: {"value", "of", "durability", "note"}}}
 * }</pre>
 * Each figure, goal and context ratio names its {@link Durability}: the commit durability of the PostgreSQL
 * operations it measures ({@code synchronous_commit=on} for the goals), or none for code that commits nothing.
 * A figure measured through a {@link StandIn} benchmark carries {@code "stand_in"} (what replaces it), and
 * so does every goal computed from one: those results say nothing about Tollgate yet.
 *
 * <p>Usage: {@code java -cp tollgate-benchmarks.jar dev.tollgate.benchmarks.report.ResultsReport --jmh
 * jmh.json --pgbench pgbench.log --postgres-version 15.18 --mode quick --jmh-options "…" --pgbench-options
 * "…" --out latest.json [--jmh-off jmh-off.json] [--pgbench-off pgbench-off.log] [--pgbench-32 pgbench-32.log]}.
 * Exits with status 2 (after writing the file) when a figure is missing.
 */
public final class ResultsReport {

    private static final List<String> OPTIONS = List.of("--jmh", "--pgbench", "--postgres-version", "--mode",
            "--jmh-options", "--pgbench-options", "--out");
    /** The second pass (synchronous_commit=off) and the 32-client pgbench; a run may leave them out. */
    private static final List<String> OPTIONAL = List.of("--jmh-off", "--pgbench-off", "--pgbench-32");

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
        JmhResults jmhOff = options.containsKey("--jmh-off")
                ? new JmhResults(mapper.readTree(Path.of(options.get("--jmh-off")).toFile())) : null;
        Map<String, Double> pgbench = new HashMap<>();
        pgbench.put(pgbenchKey("8", Durability.ON), tps(options.get("--pgbench")));
        if (options.containsKey("--pgbench-32")) {
            pgbench.put(pgbenchKey("32", Durability.ON), tps(options.get("--pgbench-32")));
        }
        if (options.containsKey("--pgbench-off")) {
            pgbench.put(pgbenchKey("8", Durability.OFF), tps(options.get("--pgbench-off")));
        }
        ObjectNode run = JsonNodeFactory.instance.objectNode();
        run.put("mode", options.get("--mode"));
        run.put("jmh_options", options.get("--jmh-options"));
        run.put("pgbench", options.get("--pgbench-options"));
        run.put("durability", "goals at synchronous_commit=on (the server's setting); figures named *_off measured "
                + "again with synchronous_commit=off for context");
        ObjectNode report = build(jmh, jmhOff, pgbench,
                MachineInfo.describe(options.get("--postgres-version"), Clock.systemUTC()), run, ResultsReport::standInOf);
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

    private static double tps(String pgbenchLog) throws IOException {
        return PgbenchOutput.transactionsPerSecond(Files.readString(Path.of(pgbenchLog)));
    }

    /**
     * @param clients pgbench's {@code -c}
     * @param durability the server's {@code synchronous_commit} for the run
     * @return the key of that run's figure in {@code pgbench} maps, such as {@code 8/on}
     */
    static String pgbenchKey(String clients, Durability durability) {
        return clients + "/" + durability.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Assembles the report of a run with one JMH pass and one pgbench run, both at {@code synchronous_commit=on}
     * (figures of the second pass are reported missing).
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
     * Assembles the report of one JMH pass and one pgbench run, asking {@code standIns} which benchmarks are
     * stand-ins.
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
        Map<String, Double> pgbench = new HashMap<>();
        if (pgbenchTps != null) {
            pgbench.put(pgbenchKey("8", Durability.ON), pgbenchTps);
        }
        return build(jmh, null, pgbench, machine, run, standIns);
    }

    /**
     * Assembles the report.
     *
     * @param jmh the JMH results of the first pass ({@code synchronous_commit=on})
     * @param jmhOff the second pass's ({@code synchronous_commit=off}), or {@code null} if it did not run
     * @param pgbench pgbench's transactions per second by {@link #pgbenchKey}
     * @param machine the {@code machine} object
     * @param run the {@code run} object
     * @param standIns JMH benchmark name → what replaces it, or {@code null} when it measures the real thing
     * @return the whole report
     */
    public static ObjectNode build(JmhResults jmh, @Nullable JmhResults jmhOff, Map<String, Double> pgbench,
                                   ObjectNode machine, ObjectNode run, Function<String, @Nullable String> standIns) {
        Objects.requireNonNull(jmh, "jmh");
        Objects.requireNonNull(pgbench, "pgbench");
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.set("machine", Objects.requireNonNull(machine, "machine"));
        report.set("run", Objects.requireNonNull(run, "run"));
        ObjectNode benchmarks = report.putObject("benchmarks");
        Map<String, JmhResults.Figure> figures = new HashMap<>();
        Map<String, String> standInFigures = new HashMap<>();
        Map<String, Durability> durabilities = new HashMap<>();
        for (MetricSource source : BenchmarkCatalog.METRICS) {
            durabilities.put(source.name(), source.durability());
            JmhResults pass = source.durability() == Durability.OFF ? jmhOff : jmh;
            JmhResults.Figure figure;
            if (MetricSource.PGBENCH.equals(source.benchmark())) {
                Double tps = pgbench.get(pgbenchKey(source.params().getOrDefault("clients", "8"), source.durability()));
                figure = tps == null ? null : new JmhResults.Figure(tps, "ops/s", null);
            } else {
                figure = pass == null ? null : pass.find(source).orElse(null);
            }
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
            node.put("durability", source.durability().label());
            String standIn = MetricSource.PGBENCH.equals(source.benchmark()) ? null : standIns.apply(source.benchmark());
            if (standIn != null) {
                node.put("stand_in", standIn);
                standInFigures.put(source.name(), standIn);
            }
        }
        ObjectNode ratios = report.putObject("ratios");
        ObjectNode goals = report.putObject("goals");
        for (RatioGoal ratio : BenchmarkCatalog.RATIOS) {
            Double value = value(ratio, figures);
            ObjectNode goal = goals.putObject(ratio.name());
            goal.put("goal", ratio.describeGoal());
            if (value == null) {
                ratios.putNull(ratio.name());
                goal.put("result", "missing");
            } else {
                ratios.put(ratio.name(), round(value));
                goal.put("result", ratio.isMetBy(value) ? "pass" : "miss");
            }
            goal.put("durability", durability(ratio.numerator(), ratio.denominator(), durabilities).label());
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
            node.put("durability", durability(ratio.numerator(), ratio.denominator(), durabilities).label());
            node.put("note", ratio.note());
        }
        return report;
    }

    private static Durability durability(String numerator, @Nullable String denominator,
                                         Map<String, Durability> durabilities) {
        Durability of = durabilities.getOrDefault(numerator, Durability.NONE);
        return denominator == null ? of : Durability.of(of, durabilities.getOrDefault(denominator, Durability.NONE));
    }

    private static @Nullable Double value(RatioGoal ratio, Map<String, JmhResults.Figure> figures) {
        if (ratio.unit() != null) {
            JmhResults.Figure figure = figures.get(ratio.numerator());
            return figure == null ? null : inUnit(figure, ratio.unit());
        }
        if (!ratio.difference()) {
            return divide(ratio.name(), ratio.numerator(), Objects.requireNonNull(ratio.denominator()), figures);
        }
        JmhResults.Figure minuend = figures.get(ratio.numerator());
        JmhResults.Figure subtrahend = figures.get(Objects.requireNonNull(ratio.denominator()));
        if (minuend == null || subtrahend == null) {
            return null;
        }
        if (!minuend.unit().equals(subtrahend.unit())) {
            throw new IllegalArgumentException(ratio.name() + " subtracts " + subtrahend.unit() + " from "
                    + minuend.unit() + ": both must be in one unit");
        }
        return minuend.score() - subtrahend.score();
    }

    private static @Nullable Double divide(String name, String numeratorName, String denominatorName,
                                           Map<String, JmhResults.Figure> figures) {
        JmhResults.Figure numerator = figures.get(numeratorName);
        if (numerator == null) {
            return null;
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
     * Converts a figure to ns/op or ms/op (times) or ops/s (throughputs).
     *
     * @param figure the figure
     * @param unit {@code ns/op}, {@code ms/op}, {@code ops/s} or the figure's own unit
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
        if (unit.equals("ms/op") && parts.length == 2 && parts[1].equals("op")) {
            return figure.score() * nanos(parts[0]) / 1e6;
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
        StringBuilder table = new StringBuilder("| ratio | value | goal | result | durability |\n|---|---:|---|---|---|\n");
        for (RatioGoal ratio : BenchmarkCatalog.RATIOS) {
            JsonNode goal = report.path("goals").path(ratio.name());
            JsonNode value = report.path("ratios").path(ratio.name());
            table.append("| ").append(ratio.name()).append(" | ").append(value.isNumber() ? value.asText() : "—")
                    .append(" | ").append(goal.path("goal").asText()).append(" | ").append(goal.path("result").asText())
                    .append(goal.path("stand_in").asBoolean() ? " (stand-in)" : "").append(" | ")
                    .append(goal.path("durability").asText()).append(" |\n");
        }
        table.append("\n| context (no goal) | value | of | durability |\n|---|---:|---|---|\n");
        for (ContextRatio ratio : BenchmarkCatalog.CONTEXT) {
            JsonNode node = report.path("context").path(ratio.name());
            JsonNode value = node.path("value");
            table.append("| ").append(ratio.name()).append(" | ").append(value.isNumber() ? value.asText() : "—")
                    .append(" | ").append(ratio.numerator()).append(" / ").append(ratio.denominator()).append(" | ")
                    .append(node.path("durability").asText()).append(" |\n");
        }
        return table.toString();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (!(OPTIONS.contains(args[i]) || OPTIONAL.contains(args[i])) || i + 1 >= args.length) {
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
                    + " <…> [" + String.join(" <…>] [", OPTIONAL) + " <…>]");
        }
        return options;
    }
}
