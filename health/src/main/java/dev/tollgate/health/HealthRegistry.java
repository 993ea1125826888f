package dev.tollgate.health;

import dev.tollgate.health.internal.ContributorSlot;
import dev.tollgate.health.internal.HealthThreads;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The set of {@link HealthContributor}s a service's probes check, each run with a timeout on the
 * registry's own threads, so a slow or hanging check is reported {@link Status#DOWN} "timed out" and
 * never blocks a probe.
 *
 * <pre>{@code
 * try (HealthRegistry registry = HealthRegistry.builder()
 *         .register("database", DatabaseHealthContributor.of(dataSource))
 *         .register("purchases", PurchasesKillSwitch.fromEnvironment(),
 *                 HealthCheckOptions.defaults().withCritical(false))
 *         .build()) {
 *     HealthReport report = registry.check();
 * }
 * }</pre>
 *
 * <p>Concurrent probes share a check that is already running rather than start another one, so a
 * hanging contributor occupies at most one thread. The registry owns its threads (daemon threads named
 * {@code tollgate-health-…}); {@link #close()} stops them. Thread-safe.
 */
public final class HealthRegistry implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    private final List<ContributorSlot> slots;
    private final Clock clock;
    private final HealthCheckObserver observer;
    private final HealthThreads threads;

    private HealthRegistry(Builder builder) {
        this.clock = builder.clock;
        this.observer = builder.observer;
        this.threads = new HealthThreads();
        List<ContributorSlot> list = new ArrayList<>();
        builder.registrations.forEach((name, r) ->
                list.add(new ContributorSlot(name, r.contributor(), r.options(), clock, observer, threads)));
        this.slots = List.copyOf(list);
        slots.forEach(ContributorSlot::startBackgroundRefresh);
    }

    /**
     * Starts building a registry.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every contributor (in parallel, reusing cached results where configured) and aggregates.
     * Returns within the longest contributor timeout.
     *
     * @return the report
     * @throws IllegalStateException if the registry is closed
     */
    public HealthReport check() {
        List<CompletableFuture<ContributorHealth>> pending = new ArrayList<>(slots.size());
        for (ContributorSlot slot : slots) {
            pending.add(slot.result());
        }
        List<ContributorHealth> results = new ArrayList<>(slots.size());
        for (CompletableFuture<ContributorHealth> future : pending) {
            results.add(future.join());
        }
        HealthReport report = HealthReport.of(clock.instant(), results);
        try {
            observer.reported(report);
        } catch (RuntimeException e) {
            ContributorSlot.observerFailed(e);
        }
        return report;
    }

    /**
     * The registered contributors' names, in registration order.
     *
     * @return the names
     */
    public List<String> names() {
        return slots.stream().map(ContributorSlot::name).toList();
    }

    /** Stops the registry's threads, interrupting running checks. Later {@link #check()} calls fail. */
    @Override
    public void close() {
        threads.close();
    }

    @Override
    public String toString() {
        return "HealthRegistry" + names();
    }

    /** Collects contributors; {@link #build()} validates everything at once. */
    public static final class Builder {

        private final Map<String, Registration> registrations = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private HealthCheckObserver observer = new HealthCheckObserver() { };

        private Builder() {
        }

        /**
         * Registers a contributor with {@link HealthCheckOptions#defaults()}.
         *
         * @param name a lower-case name ({@code database}, {@code billing.schema}), unique in this registry
         * @param contributor the check
         * @return this builder
         */
        public Builder register(String name, HealthContributor contributor) {
            return register(name, contributor, HealthCheckOptions.defaults());
        }

        /**
         * Registers a contributor.
         *
         * @param name a lower-case name ({@code database}, {@code billing.schema}), unique in this registry
         * @param contributor the check
         * @param options its timeout, critical flag, caching and refresh
         * @return this builder
         */
        public Builder register(String name, HealthContributor contributor, HealthCheckOptions options) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(contributor, "contributor");
            Objects.requireNonNull(options, "options");
            if (!NAME.matcher(name).matches()) {
                problems.add("contributor name '" + name
                        + "' must be 1-64 lower-case letters, digits, '_', '.' or '-', starting with a letter");
            } else if (registrations.containsKey(name)) {
                problems.add("contributor name '" + name + "' is registered twice");
            } else {
                registrations.put(name, new Registration(contributor, options));
            }
            return this;
        }

        /**
         * The clock for check durations and cache expiry; default the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Who is told about each check, for metrics; default nobody.
         *
         * @param observer the observer, for example a {@code MicrometerHealthObserver}
         * @return this builder
         */
        public Builder observer(HealthCheckObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Builds the registry and starts background refreshes.
         *
         * @return the registry; close it when the service stops
         * @throws IllegalArgumentException listing every problem with the registrations
         */
        public HealthRegistry build() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid health registry: " + String.join("; ", problems));
            }
            return new HealthRegistry(this);
        }
    }

    private record Registration(HealthContributor contributor, HealthCheckOptions options) {
    }
}
