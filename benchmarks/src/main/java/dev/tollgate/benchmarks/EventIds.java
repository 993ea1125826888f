package dev.tollgate.benchmarks;

import java.util.concurrent.ThreadLocalRandom;

/** Random, Stripe-like event ids ({@code evt_} and 26 base-36 characters), so inserts land all over the index. */
public final class EventIds {

    private EventIds() {
    }

    /**
     * A fresh random event id; two calls collide with probability about 2^-126.
     *
     * @return the id
     */
    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "evt_" + Long.toString(random.nextLong() >>> 1, 36) + Long.toString(random.nextLong() >>> 1, 36);
    }
}
