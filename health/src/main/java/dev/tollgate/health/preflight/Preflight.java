package dev.tollgate.health.preflight;

import dev.tollgate.health.internal.ContributorSlot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The Go/No-Go preflight: runs named steps one after another, each with a timeout, and answers with a
 * {@link PreflightReport} (JSON, text, exit code). Run it before a go-live, and against a restored backup
 * to answer "does the restore work?".
 *
 * <pre>{@code
 * PreflightReport report = Preflight.builder()
 *         .step("configuration", PreflightSteps.configuration(ProductionConfigValidator.builder().build()))
 *         .step("database", PreflightSteps.database(dataSource))
 *         .step("billing.schema", PreflightSteps.verifier(dataSource, "billing.verify_billing_schema"))
 *         .build().run();
 * System.out.print(report.toText());
 * System.exit(report.exitCode());
 * }</pre>
 *
 * <p>Immutable; each {@link #run()} uses a thread of its own for the steps and stops it before returning.
 */
public final class Preflight {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    private final Map<String, PreflightCheck> steps;
    private final Duration stepTimeout;
    private final Clock clock;

    private Preflight(Map<String, PreflightCheck> steps, Duration stepTimeout, Clock clock) {
        this.steps = steps;
        this.stepTimeout = stepTimeout;
        this.clock = clock;
    }

    /**
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the step names, in the order they run
     */
    public List<String> stepNames() {
        return List.copyOf(steps.keySet());
    }

    /**
     * Runs every step in order; a step that throws or exceeds the timeout is FAIL and the next one runs.
     *
     * @return the report
     */
    public PreflightReport run() {
        Instant startedAt = clock.instant();
        List<PreflightStepResult> results = new ArrayList<>();
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "tollgate-preflight");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Map.Entry<String, PreflightCheck> step : steps.entrySet()) {
                Instant start = clock.instant();
                PreflightOutcome outcome = runOne(executor, step.getValue());
                Duration took = Duration.between(start, clock.instant());
                results.add(new PreflightStepResult(step.getKey(), outcome.status(),
                        dev.tollgate.internal.SensitiveText.scrub(outcome.detail()),
                        took.isNegative() ? Duration.ZERO : took));
                if (executor.isShutdown()) { // a timed-out step kept its thread: continue on a fresh one
                    executor = Executors.newSingleThreadExecutor(task -> {
                        Thread t = new Thread(task, "tollgate-preflight");
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        } finally {
            executor.shutdownNow();
        }
        return new PreflightReport(startedAt, results);
    }

    private PreflightOutcome runOne(ExecutorService executor, PreflightCheck check) {
        Future<PreflightOutcome> future = executor.submit(check::run);
        try {
            PreflightOutcome outcome = future.get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return outcome != null ? outcome : PreflightOutcome.fail("the step returned no outcome");
        } catch (TimeoutException e) {
            future.cancel(true);
            executor.shutdownNow();
            return PreflightOutcome.fail("timed out after " + stepTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return PreflightOutcome.fail(ContributorSlot.describe(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return PreflightOutcome.fail("interrupted");
        }
    }

    /** Collects steps; {@link #build()} reports every problem at once. */
    public static final class Builder {

        private final Map<String, PreflightCheck> steps = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private Duration stepTimeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Adds a step.
         *
         * @param name a lower-case name, unique
         * @param check the check
         * @return this builder
         */
        public Builder step(String name, PreflightCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (!NAME.matcher(name).matches()) {
                problems.add("step name '" + name
                        + "' must be 1-64 lower-case letters, digits, '_', '.' or '-', starting with a letter");
            } else if (steps.putIfAbsent(name, check) != null) {
                problems.add("step '" + name + "' is added twice");
            }
            return this;
        }

        /**
         * How long one step may take; default 30 seconds.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder stepTimeout(Duration timeout) {
            this.stepTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The clock for start time and durations; default the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the preflight
         * @throws IllegalArgumentException listing every problem
         */
        public Preflight build() {
            List<String> all = new ArrayList<>(problems);
            if (stepTimeout.isZero() || stepTimeout.isNegative()) {
                all.add("stepTimeout must be positive, but was " + stepTimeout);
            }
            if (steps.isEmpty() && problems.isEmpty()) {
                all.add("add at least one step");
            }
            if (!all.isEmpty()) {
                throw new IllegalArgumentException("invalid preflight: " + String.join("; ", all));
            }
            return new Preflight(new LinkedHashMap<>(steps), stepTimeout, clock);
        }
    }
}
