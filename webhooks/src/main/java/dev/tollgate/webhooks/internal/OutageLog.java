package dev.tollgate.webhooks.internal;

import dev.tollgate.webhooks.IdempotencyStoreException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Logs a database outage once, not once per poll: the first failure after a success at WARN, the others at DEBUG
 * until a success, which is logged at INFO. Several threads of one worker share one instance, so an outage shows
 * as one WARN and one INFO line however many threads poll. Thread-safe.
 */
public final class OutageLog {

    private final AtomicBoolean failing = new AtomicBoolean();
    private final String what;

    /** @param what what fails, for the messages, such as {@code "webhook worker"} */
    public OutageLog(String what) {
        this.what = what;
    }

    /**
     * Logs a failure.
     *
     * @param log where to write
     * @param e the failure
     * @param consequence what happens meanwhile, such as {@code "retrying every PT1S"}
     * @return whether it was written at WARN (the first of an outage)
     */
    public boolean failed(Logger log, IdempotencyStoreException e, String consequence) {
        if (failing.compareAndSet(false, true)) {
            log.warn("{}: the database cannot be used ({}); {} (logged once until it can)", what, e.reason(),
                    consequence);
            return true;
        }
        log.debug("{}: the database still cannot be used ({})", what, e.reason());
        return false;
    }

    /**
     * Notes a success.
     *
     * @param log where to write
     * @return whether it ended an outage (written at INFO)
     */
    public boolean succeeded(Logger log) {
        if (failing.get() && failing.compareAndSet(true, false)) {
            log.info("{}: the database can be used again", what);
            return true;
        }
        return false;
    }
}
