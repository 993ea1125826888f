package dev.tollgate.billing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidates {@link BillingGate} caches when {@code billing.tenant_billing} changes, on every replica:
 * a trigger sends {@code NOTIFY tollgate_billing, '<tenant id>'} on each insert, update or delete
 * (also an operator's direct SQL), and this listener holds one session connection with
 * {@code LISTEN tollgate_billing}.
 *
 * <pre>{@code
 * PostgresBillingListener listener = PostgresBillingListener.builder(listenDataSource).gate(gate).build();
 * listener.start();          // one daemon thread, "tollgate-billing-listener"
 * listener.status();         // LISTENING, CONNECTING, TTL_ONLY, … for health output
 * listener.close();
 * }</pre>
 *
 * <p>{@code LISTEN} needs a session-level connection. Behind PgBouncer in transaction mode it silently
 * receives nothing, so after each {@code LISTEN} the listener sends itself a probe notification from a
 * second connection; if the probe does not arrive within {@link Builder#probeTimeout(Duration)}, it
 * reports {@link ListenerStatus.State#TTL_ONLY} and stops: the gates then rely on their cache TTL.
 * Say so up front with {@link Builder#transactionPooling(boolean)}. A dropped connection is reopened
 * after {@link Builder#reconnectDelay(Duration)}, and every cache is cleared on reconnect (notifications
 * sent meanwhile are lost).
 *
 * <p>The data source should hand out direct (session) connections; one connection is held while
 * listening, a second one is borrowed briefly for each probe.
 */
public final class PostgresBillingListener implements AutoCloseable {

    /** The notification channel. */
    public static final String CHANNEL = "tollgate_billing";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBillingListener.class);
    private static final String PROBE_PREFIX = "tollgate-probe:";

    private final DataSource dataSource;
    private final List<BillingGate> gates;
    private final Clock clock;
    private final Duration probeTimeout;
    private final Duration reconnectDelay;
    private final int pollMillis;
    private final boolean transactionPooling;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ListenerStatus status;
    private volatile boolean running;
    private @Nullable Thread thread;

    private PostgresBillingListener(Builder b) {
        this.dataSource = Objects.requireNonNull(b.dataSource);
        this.gates = List.copyOf(b.gates);
        this.clock = b.clock;
        this.probeTimeout = b.probeTimeout;
        this.reconnectDelay = b.reconnectDelay;
        this.pollMillis = (int) b.pollInterval.toMillis();
        this.transactionPooling = b.transactionPooling;
        this.status = new ListenerStatus(ListenerStatus.State.NOT_STARTED, "not started", clock.instant());
        gates.forEach(gate -> gate.attach(this));
    }

    /**
     * A builder.
     *
     * @param dataSource where to listen: direct session connections to the database
     * @return a new builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Starts listening on a daemon thread (or, with transaction pooling configured, only reports
     * {@link ListenerStatus.State#TTL_ONLY}).
     *
     * @return this listener
     * @throws IllegalStateException if already started
     */
    public synchronized PostgresBillingListener start() {
        if (thread != null || running) {
            throw new IllegalStateException("the listener is already started");
        }
        if (transactionPooling) {
            setStatus(ListenerStatus.State.TTL_ONLY, "configured for a transaction-mode pooler (PgBouncer):"
                    + " LISTEN is not used; changes are seen within the cache TTL");
            return this;
        }
        running = true;
        setStatus(ListenerStatus.State.CONNECTING, "connecting");
        Thread t = new Thread(this::run, "tollgate-billing-listener");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    /**
     * The listener's state, for health output.
     *
     * @return the status
     */
    public ListenerStatus status() {
        return status;
    }

    /** Stops listening and releases the connection. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            stopped.countDown();
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5_000L + pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        setStatus(ListenerStatus.State.STOPPED, "closed");
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                PGConnection pg = connection.unwrap(PGConnection.class);
                try (Statement listen = connection.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                if (!probe(pg)) {
                    setStatus(ListenerStatus.State.TTL_ONLY, "LISTEN received no probe notification within "
                            + probeTimeout.toMillis() + " ms: the connection is probably behind a transaction-mode"
                            + " pooler (PgBouncer); changes are seen within the cache TTL");
                    LOG.warn("billing change notifications do not arrive (transaction-mode pooler?): gate caches"
                            + " fall back to their TTL");
                    running = false;
                    return;
                }
                gates.forEach(BillingGate::invalidateAll); // changes may have been missed while connecting
                setStatus(ListenerStatus.State.LISTENING, "LISTEN " + CHANNEL);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(pollMillis);
                    dispatch(notifications);
                }
                try (Statement unlisten = connection.createStatement()) {
                    unlisten.execute("UNLISTEN " + CHANNEL);
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                String state = e instanceof SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : "";
                setStatus(ListenerStatus.State.CONNECTING, "connection lost or refused: "
                        + e.getClass().getSimpleName() + state + "; retrying every " + reconnectDelay.toMillis() + " ms");
                LOG.warn("billing change listener lost its connection{}; retrying", state);
                gates.forEach(BillingGate::invalidateAll);
                try {
                    if (stopped.await(reconnectDelay.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean probe(PGConnection pg) throws SQLException {
        String token = PROBE_PREFIX + UUID.randomUUID();
        try (Connection other = dataSource.getConnection();
             PreparedStatement notify = other.prepareStatement("SELECT pg_notify(?, ?)")) {
            other.setAutoCommit(true);
            notify.setString(1, CHANNEL);
            notify.setString(2, token);
            notify.execute();
        }
        long deadline = System.nanoTime() + probeTimeout.toNanos();
        while (running) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                return false;
            }
            PGNotification[] notifications = pg.getNotifications((int) Math.min(remaining, Integer.MAX_VALUE));
            if (notifications != null) {
                for (PGNotification n : notifications) {
                    if (token.equals(n.getParameter())) {
                        dispatch(notifications);
                        return true;
                    }
                }
                dispatch(notifications);
            }
        }
        return false;
    }

    private void dispatch(PGNotification @Nullable [] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification n : notifications) {
            String tenant = n.getParameter();
            if (!CHANNEL.equals(n.getName()) || tenant.startsWith(PROBE_PREFIX)) {
                continue;
            }
            for (BillingGate gate : gates) {
                if (tenant.equals("*")) {
                    gate.invalidateAll();
                } else {
                    gate.invalidate(tenant);
                }
            }
        }
    }

    private void setStatus(ListenerStatus.State state, String detail) {
        status = new ListenerStatus(state, detail, clock.instant());
    }

    @Override
    public String toString() {
        return "PostgresBillingListener[" + status.state() + "]";
    }

    /** Configures a {@link PostgresBillingListener}. */
    public static final class Builder {
        private final DataSource dataSource;
        private final List<BillingGate> gates = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Duration probeTimeout = Duration.ofSeconds(2);
        private Duration reconnectDelay = Duration.ofSeconds(1);
        private Duration pollInterval = Duration.ofMillis(250);
        private boolean transactionPooling;
        private final List<String> problems = new ArrayList<>();

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * A gate whose cache to invalidate (at least one).
         *
         * @param gate the gate
         * @return this builder
         */
        public Builder gate(BillingGate gate) {
            gates.add(Objects.requireNonNull(gate, "gate"));
            return this;
        }

        /**
         * The clock for status times (default the system UTC clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long to wait for the probe notification after {@code LISTEN} (default 2 s).
         *
         * @param timeout between 10 ms and 1 min
         * @return this builder
         */
        public Builder probeTimeout(Duration timeout) {
            probeTimeout = check("probeTimeout", timeout, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long to wait before reconnecting after a dropped connection (default 1 s).
         *
         * @param delay between 10 ms and 10 min
         * @return this builder
         */
        public Builder reconnectDelay(Duration delay) {
            reconnectDelay = check("reconnectDelay", delay, Duration.ofMillis(10), Duration.ofMinutes(10));
            return this;
        }

        /**
         * How long one wait for notifications lasts before checking for {@link #close()} (default 250 ms).
         *
         * @param interval between 10 ms and 10 s
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            pollInterval = check("pollInterval", interval, Duration.ofMillis(10), Duration.ofSeconds(10));
            return this;
        }

        /**
         * Says the data source goes through a transaction-mode pooler (PgBouncer), where {@code LISTEN}
         * cannot work: the listener then only reports {@link ListenerStatus.State#TTL_ONLY}.
         *
         * @param enabled true behind a transaction-mode pooler
         * @return this builder
         */
        public Builder transactionPooling(boolean enabled) {
            transactionPooling = enabled;
            return this;
        }

        private Duration check(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                problems.add(name + " must be between " + min + " and " + max + ", but was " + value);
            }
            return value;
        }

        /**
         * Builds the listener (not started).
         *
         * @return the listener
         * @throws BillingException with {@link BillingException.Reason#INVALID_CONFIGURATION} naming every problem
         */
        public PostgresBillingListener build() {
            List<String> all = new ArrayList<>(problems);
            if (gates.isEmpty()) {
                all.add("at least one gate is required");
            }
            if (!all.isEmpty()) {
                throw new BillingException(BillingException.Reason.INVALID_CONFIGURATION,
                        "invalid PostgresBillingListener configuration: " + String.join("; ", all));
            }
            return new PostgresBillingListener(this);
        }
    }
}
