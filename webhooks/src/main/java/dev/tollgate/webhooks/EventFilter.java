package dev.tollgate.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which events {@link WebhookEvents#list} and {@link WebhookEvents#redrive(EventFilter)} look at: all conditions
 * hold together; an unset condition matches every event. Immutable; build one with {@link #builder()}:
 *
 * <pre>{@code
 * EventFilter dead = EventFilter.builder().state(EventState.DEAD).provider("stripe").olderThan(Duration.ofHours(1))
 *         .limit(500).build();
 * }</pre>
 */
public final class EventFilter {

    /** The limit when none is given. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest limit accepted. */
    public static final int MAX_LIMIT = 10_000;

    private final Set<EventState> states;
    private final @Nullable String provider;
    private final @Nullable String eventType;
    private final @Nullable Duration olderThan;
    private final @Nullable Duration newerThan;
    private final int limit;

    private EventFilter(Builder b) {
        this.states = b.states.isEmpty() ? Set.of() : Set.copyOf(b.states);
        this.provider = b.provider;
        this.eventType = b.eventType;
        this.olderThan = b.olderThan;
        this.newerThan = b.newerThan;
        this.limit = b.limit;
    }

    /** @return a filter that matches every event, up to {@link #DEFAULT_LIMIT} */
    public static EventFilter all() {
        return builder().build();
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the states matched; empty means every state */
    public Set<EventState> states() {
        return states;
    }

    /** @return the provider matched, if set */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** @return the event type matched, if set */
    public Optional<String> eventType() {
        return Optional.ofNullable(eventType);
    }

    /** @return the minimum age (since receipt) matched, if set */
    public Optional<Duration> olderThan() {
        return Optional.ofNullable(olderThan);
    }

    /** @return the maximum age (since receipt) matched, if set */
    public Optional<Duration> newerThan() {
        return Optional.ofNullable(newerThan);
    }

    /** @return the most events returned or acted on */
    public int limit() {
        return limit;
    }

    /** @return this filter with the given states only (used by re-drive, which looks at dead events) */
    EventFilter withStates(Set<EventState> only) {
        Builder b = new Builder();
        b.states.addAll(only);
        b.provider = provider;
        b.eventType = eventType;
        b.olderThan = olderThan;
        b.newerThan = newerThan;
        b.limit = limit;
        return b.build();
    }

    @Override
    public String toString() {
        return "EventFilter[states=" + states + ", provider=" + provider + ", type=" + eventType + ", olderThan="
                + olderThan + ", newerThan=" + newerThan + ", limit=" + limit + "]";
    }

    /** Builds an {@link EventFilter}; {@link #build()} reports every bad value at once. */
    public static final class Builder {
        private final EnumSet<EventState> states = EnumSet.noneOf(EventState.class);
        private @Nullable String provider;
        private @Nullable String eventType;
        private @Nullable Duration olderThan;
        private @Nullable Duration newerThan;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /**
         * Adds a state to match (may be called several times; events in any of them match).
         *
         * @param state a state
         * @return this builder
         */
        public Builder state(EventState state) {
            states.add(Objects.requireNonNull(state, "state"));
            return this;
        }

        /**
         * @param provider the provider to match, such as {@code stripe}
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * @param eventType the event type to match exactly, such as {@code invoice.paid}
         * @return this builder
         */
        public Builder eventType(String eventType) {
            this.eventType = Objects.requireNonNull(eventType, "eventType");
            return this;
        }

        /**
         * @param age match events received at least this long ago (by the {@link WebhookEvents} clock)
         * @return this builder
         */
        public Builder olderThan(Duration age) {
            this.olderThan = Objects.requireNonNull(age, "age");
            return this;
        }

        /**
         * @param age match events received at most this long ago (by the {@link WebhookEvents} clock)
         * @return this builder
         */
        public Builder newerThan(Duration age) {
            this.newerThan = Objects.requireNonNull(age, "age");
            return this;
        }

        /**
         * @param limit the most events returned or acted on, 1 to {@link #MAX_LIMIT}
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * @return the filter
         * @throws IllegalArgumentException naming every bad value
         */
        public EventFilter build() {
            List<String> problems = new ArrayList<>();
            if (provider != null && (provider.isBlank() || provider.length() > 100)) {
                problems.add("provider must be 1 to 100 characters, but was \"" + provider + "\"");
            }
            if (eventType != null && eventType.isBlank()) {
                problems.add("eventType must not be blank");
            }
            if (olderThan != null && olderThan.isNegative()) {
                problems.add("olderThan must not be negative, but was " + olderThan);
            }
            if (newerThan != null && newerThan.isNegative()) {
                problems.add("newerThan must not be negative, but was " + newerThan);
            }
            if (olderThan != null && newerThan != null && olderThan.compareTo(newerThan) > 0) {
                problems.add("olderThan (" + olderThan + ") must not exceed newerThan (" + newerThan
                        + "): no event can match");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                problems.add("limit must be 1 to " + MAX_LIMIT + ", but was " + limit);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid event filter: " + String.join("; ", problems));
            }
            return new EventFilter(this);
        }
    }
}
