package dev.tollgate.health.internal;

import dev.tollgate.health.ContributorHealth;
import dev.tollgate.health.Health;
import dev.tollgate.health.HealthCheckObserver;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import dev.tollgate.internal.SensitiveText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered contributor: runs its check on the registry's threads, at most one at a time, with a
 * timeout per waiting probe, and remembers the last result for caching and background refresh.
 */
public final class ContributorSlot {

    private static final Logger LOG = LoggerFactory.getLogger(ContributorSlot.class);

    private final String name;
    private final HealthContributor contributor;
    private final HealthCheckOptions options;
    private final Clock clock;
    private final HealthCheckObserver observer;
    private final HealthThreads threads;
    private volatile @Nullable ContributorHealth last;
    private @Nullable CompletableFuture<ContributorHealth> running; // guarded by this

    /**
     * @param name the registered name
     * @param contributor the check
     * @param options how to run it
     * @param clock the registry's clock
     * @param observer told about each finished check
     * @param threads the registry's threads
     */
    public ContributorSlot(String name, HealthContributor contributor, HealthCheckOptions options, Clock clock,
                           HealthCheckObserver observer, HealthThreads threads) {
        this.name = name;
        this.contributor = contributor;
        this.options = options;
        this.clock = clock;
        this.observer = observer;
        this.threads = threads;
    }

    /** @return the registered name */
    public String name() {
        return name;
    }

    /** Schedules the background refresh, when configured. */
    public void startBackgroundRefresh() {
        if (positive(options.refreshEvery())) {
            threads.repeat(() -> {
                try {
                    if (!threads.closed()) {
                        run(); // never wait here: this is the timer thread that fires every probe's timeout
                    }
                } catch (RuntimeException e) {
                    LOG.warn("background health check '{}' failed: {}", name, e.getClass().getName());
                }
            }, options.refreshEvery());
        }
    }

    /**
     * The result a probe should report: a cached or background-refreshed one when fresh enough, else the
     * running (or a new) check's result, or {@link Status#DOWN} "timed out" after the timeout.
     *
     * @return a future that always completes normally within the timeout
     */
    public CompletableFuture<ContributorHealth> result() {
        ContributorHealth known = last;
        if (known != null) {
            if (positive(options.refreshEvery()) && clock.instant().isBefore(
                    known.checkedAt().plus(options.refreshEvery()).plus(options.timeout()))) {
                return CompletableFuture.completedFuture(known); // a stuck refresh makes it stale, see below
            }
            if (positive(options.cacheFor())
                    && clock.instant().isBefore(known.checkedAt().plus(options.cacheFor()))) {
                return CompletableFuture.completedFuture(known);
            }
        }
        CompletableFuture<ContributorHealth> run = run();
        CompletableFuture<ContributorHealth> view = new CompletableFuture<>();
        ScheduledFuture<?> timeout = threads.schedule(() -> view.complete(timedOut()), options.timeout());
        run.whenComplete((result, failure) -> {
            timeout.cancel(false);
            view.complete(result != null ? result : failed(failure));
        });
        return view;
    }

    private synchronized CompletableFuture<ContributorHealth> run() {
        CompletableFuture<ContributorHealth> current = running;
        if (current != null && !current.isDone()) {
            return current; // share the check already under way: a hanging check occupies one thread
        }
        CompletableFuture<ContributorHealth> started = new CompletableFuture<>();
        running = started;
        threads.execute(() -> {
            ContributorHealth result;
            try {
                result = checkNow();
            } catch (VirtualMachineError e) {
                started.complete(failed(e));
                throw e;
            } catch (Throwable t) { // e.g. an AssertionError from user code: report it, do not print it
                result = failed(t);
            }
            started.complete(result);
        });
        return started;
    }

    private ContributorHealth checkNow() {
        Instant start = clock.instant();
        Health health;
        try {
            Health found = contributor.check();
            health = found != null ? found : Health.down("the check returned no result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            health = Health.down("interrupted");
        } catch (Exception e) {
            health = Health.down(describe(e));
        }
        Instant end = clock.instant();
        Duration took = Duration.between(start, end);
        ContributorHealth result = new ContributorHealth(name, health, options.critical(), end,
                took.isNegative() ? Duration.ZERO : took);
        last = result;
        notifyObserver(result);
        return result;
    }

    private ContributorHealth timedOut() {
        ContributorHealth result = new ContributorHealth(name,
                Health.down("timed out after " + options.timeout().toMillis() + " ms"),
                options.critical(), clock.instant(), options.timeout());
        notifyObserver(result);
        return result;
    }

    private ContributorHealth failed(@Nullable Throwable failure) {
        return new ContributorHealth(name, Health.down(failure == null ? "failed" : describe(failure)),
                options.critical(), clock.instant(), Duration.ZERO);
    }

    private void notifyObserver(ContributorHealth result) {
        try {
            observer.checked(name, result.status(), result.duration());
        } catch (RuntimeException e) {
            observerFailed(e);
        }
    }

    private static boolean positive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    /**
     * Logs an observer's failure without its message (which might hold anything).
     *
     * @param e the failure
     */
    public static void observerFailed(RuntimeException e) {
        LOG.warn("a health check observer threw {}; ignored", e.getClass().getName());
    }

    /**
     * A short, scrubbed description of a failure for health output.
     *
     * @param t the failure
     * @return the type and the scrubbed message
     */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        String type = t.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + SensitiveText.scrub(message);
    }
}
