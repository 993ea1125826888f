package dev.tollgate.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that tests set and move by hand instead of sleeping. Thread-safe: reads and moves are
 * atomic, so many threads may advance it at once and every advance counts.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * BillingGate gate = BillingGate.builder().clock(clock)...build();
 * clock.advance(Duration.ofDays(3)); // grace period over
 * }</pre>
 *
 * <p>{@link #withZone(ZoneId)} returns a view on the same instant: moving either moves both.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> instant;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> instant, ZoneId zone) {
        this.instant = instant;
        this.zone = zone;
    }

    /**
     * Creates a clock standing at an instant, in UTC.
     *
     * @param start the instant the clock shows until it is moved
     * @return the clock
     */
    public static MutableClock at(Instant start) {
        Objects.requireNonNull(start, "start");
        return new MutableClock(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    /**
     * Creates a clock standing at an ISO-8601 instant such as {@code 2026-01-01T00:00:00Z}, in UTC.
     *
     * @param isoInstant the instant, parsed with {@link Instant#parse(CharSequence)}
     * @return the clock
     */
    public static MutableClock at(String isoInstant) {
        Objects.requireNonNull(isoInstant, "isoInstant");
        return at(Instant.parse(isoInstant));
    }

    /**
     * Sets the clock to an instant, earlier or later than now.
     *
     * @param newInstant the instant the clock shows from now on
     */
    public void set(Instant newInstant) {
        instant.set(Objects.requireNonNull(newInstant, "newInstant"));
    }

    /**
     * Moves the clock atomically.
     *
     * @param amount how far to move it; negative moves it back
     * @return the instant after the move
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return instant.updateAndGet(current -> current.plus(amount));
    }

    @Override
    public Instant instant() {
        return instant.get();
    }

    @Override
    public long millis() {
        return instant.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /**
     * Returns a view of this clock in another zone, sharing its instant.
     *
     * @param newZone the zone
     * @return a clock that moves with this one
     */
    @Override
    public MutableClock withZone(ZoneId newZone) {
        Objects.requireNonNull(newZone, "newZone");
        return newZone.equals(zone) ? this : new MutableClock(instant, newZone);
    }

    /** Clocks are equal when they share their instant and zone (a clock and its views in the same zone). */
    @Override
    public boolean equals(Object other) {
        return other instanceof MutableClock that && that.instant == instant && that.zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(instant) * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant.get() + ", " + zone + "]";
    }
}
