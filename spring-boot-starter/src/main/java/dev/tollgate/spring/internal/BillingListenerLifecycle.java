package dev.tollgate.spring.internal;

import dev.tollgate.billing.PostgresBillingListener;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the PostgreSQL LISTEN/NOTIFY listener that invalidates the gate's cache when
 * {@code billing.tenant_billing} changes (also by a direct SQL update), from context start to stop.
 * Holds nothing when the billing state is not in PostgreSQL.
 */
public final class BillingListenerLifecycle implements SmartLifecycle {

    private final @Nullable PostgresBillingListener listener;
    private volatile boolean running;

    /**
     * @param listener the listener, or null when there is nothing to listen to
     */
    public BillingListenerLifecycle(@Nullable PostgresBillingListener listener) {
        this.listener = listener;
    }

    @Override
    public void start() {
        if (listener != null) {
            listener.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        if (listener != null) {
            listener.close();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** @return the listener, or null */
    public @Nullable PostgresBillingListener listener() {
        return listener;
    }
}
