package dev.tollgate.billing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which operation classes a tenant may use in each billing status, and how that changes with time
 * spent in the status. Immutable; build once.
 *
 * <p>Defaults ({@link #defaults()}):
 * <ul>
 *   <li>{@code active}, {@code trialing}: everything;</li>
 *   <li>{@code past_due}, {@code unpaid}, {@code incomplete}, {@code incomplete_expired}, {@code paused},
 *       {@code canceled}, {@code none}: reads only ({@link Access#READ_ONLY}); writes get 402;</li>
 *   <li>{@code canceled} and {@code paused} keep full access until the paid period ends (prepaid time
 *       is never cut short);</li>
 *   <li>a provider grace period (RevenueCat billing-issue grace) allows everything until it ends;</li>
 *   <li>{@link OperationClass#PURCHASE} is allowed in every status; user-named classes are gated as
 *       writes unless {@linkplain Builder#treatAsRead(OperationClass...) treated as reads}.</li>
 * </ul>
 *
 * <p>A time ladder, as Kill Bill's overdue states: past_due day 0–3 everything, day 3–14 reads only,
 * then nothing but purchases:
 * <pre>{@code
 * GatingPolicy policy = GatingPolicy.builder()
 *         .grace(BillingStatus.PAST_DUE, Duration.ofDays(3))
 *         .after(BillingStatus.PAST_DUE, Duration.ofDays(14), Access.NONE)
 *         .build();
 * }</pre>
 * Time in a status counts from {@link TenantBilling#statusSince()}.
 */
public final class GatingPolicy {

    private static final int ALLOWS = 0;
    private static final int GRACE = 1;
    private static final int PAID = 2;
    private static final int DENIES = 3;
    private static final byte EXPLICIT_ALLOW = 1;
    private static final byte EXPLICIT_DENY = 2;

    private static final Map<BillingStatus, String> DEFAULT_MESSAGES = defaultMessages();
    private static final GatingPolicy DEFAULTS = builder().build();

    private final long[][] offsets;      // [status][rung] millis since entering the status, ascending, [0] = 0
    private final Access[][] access;     // [status][rung]
    private final boolean[][] graceRung; // [status][rung]
    private final byte[][] explicit;     // [status][operation index]
    private final boolean[] readLike;    // [operation index]
    private final boolean[] keepUntilPeriodEnd; // [status]
    private final String[] messages;     // [status]
    private final BillingDecision[][][] decisions; // [status][operation index][ALLOWS..DENIES], filled lazily
    private final String description;

    private GatingPolicy(Builder b) {
        int statuses = BillingStatus.values().length;
        offsets = new long[statuses][];
        access = new Access[statuses][];
        graceRung = new boolean[statuses][];
        explicit = new byte[statuses][OperationClass.MAX_CLASSES];
        readLike = new boolean[OperationClass.MAX_CLASSES];
        keepUntilPeriodEnd = new boolean[statuses];
        messages = new String[statuses];
        decisions = new BillingDecision[statuses][OperationClass.MAX_CLASSES][];
        StringBuilder text = new StringBuilder("GatingPolicy[");
        for (BillingStatus status : BillingStatus.values()) {
            int s = status.ordinal();
            TreeMap<Long, Access> ladder = new TreeMap<>(b.ladders.get(status));
            Duration grace = b.graces.get(status);
            long graceMillis = grace == null ? 0 : grace.toMillis();
            if (graceMillis > 0) {
                Access afterGrace = ladder.floorEntry(graceMillis).getValue();
                ladder.headMap(graceMillis, false).clear();
                ladder.put(graceMillis, afterGrace);
                ladder.put(0L, Access.ALL);
            }
            offsets[s] = ladder.keySet().stream().mapToLong(Long::longValue).toArray();
            access[s] = ladder.values().toArray(new Access[0]);
            graceRung[s] = new boolean[offsets[s].length];
            graceRung[s][0] = graceMillis > 0;
            keepUntilPeriodEnd[s] = b.keepUntilPeriodEnd.contains(status);
            messages[s] = b.messages.getOrDefault(status, DEFAULT_MESSAGES.get(status));
            text.append(status.wireName()).append('=').append(ladder);
            if (keepUntilPeriodEnd[s]) {
                text.append("+paid-period");
            }
            text.append(' ');
        }
        b.explicit.forEach((status, ops) -> ops.forEach((op, allow) ->
                explicit[status.ordinal()][op.index()] = allow ? EXPLICIT_ALLOW : EXPLICIT_DENY));
        b.readLike.forEach(op -> readLike[op.index()] = true);
        readLike[OperationClass.READ.index()] = true;
        description = text.append("explicit=").append(b.explicit).append(" reads=").append(b.readLike).append(']')
                .toString();
    }

    /**
     * The default policy (see the class description).
     *
     * @return the defaults
     */
    public static GatingPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides for a state at a point in time. Allocation-free once the decision for a (status, operation,
     * reason) has been made once.
     *
     * @param state the tenant's state
     * @param operation the operation class
     * @param nowMillis the current time, epoch milliseconds
     * @return the decision (allowed or denied; enforcement modes are the gate's business)
     */
    public BillingDecision decide(TenantBilling state, OperationClass operation, long nowMillis) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(operation, "operation");
        return decide(state.status(), state.statusSince().toEpochMilli(), millisOrMin(state.currentPeriodEnd()),
                millisOrMin(state.graceUntil()), operation, nowMillis);
    }

    static long millisOrMin(java.time.@org.jspecify.annotations.Nullable Instant instant) {
        return instant == null ? Long.MIN_VALUE : instant.toEpochMilli();
    }

    /** The hot path: primitives only. */
    BillingDecision decide(BillingStatus status, long sinceMillis, long periodEndMillis, long graceUntilMillis,
                           OperationClass operation, long nowMillis) {
        int s = status.ordinal();
        int op = operation.index();
        byte rule = explicit[s][op];
        if (rule == EXPLICIT_ALLOW) {
            return decision(status, operation, ALLOWS);
        }
        if (rule == EXPLICIT_DENY) {
            return decision(status, operation, DENIES);
        }
        if (operation == OperationClass.PURCHASE) {
            return decision(status, operation, ALLOWS);
        }
        if (keepUntilPeriodEnd[s] && nowMillis < periodEndMillis) {
            return decision(status, operation, PAID);
        }
        if (nowMillis < graceUntilMillis) {
            return decision(status, operation, GRACE);
        }
        long elapsed = nowMillis - sinceMillis;
        long[] rungs = offsets[s];
        int rung = rungs.length - 1;
        while (rung > 0 && elapsed < rungs[rung]) {
            rung--;
        }
        Access level = access[s][rung];
        boolean allowed = level == Access.ALL || (level == Access.READ_ONLY && readLike[op]);
        if (!allowed) {
            return decision(status, operation, DENIES);
        }
        return decision(status, operation, graceRung[s][rung] ? GRACE : ALLOWS);
    }

    private BillingDecision decision(BillingStatus status, OperationClass operation, int kind) {
        BillingDecision[] slots = decisions[status.ordinal()][operation.index()];
        if (slots == null) {
            slots = new BillingDecision[4];
            decisions[status.ordinal()][operation.index()] = slots;
        }
        BillingDecision decision = slots[kind];
        if (decision == null) {
            switch (kind) {
                case ALLOWS:
                    decision = BillingDecision.allow(status, operation, BillingDecision.Reason.STATUS_ALLOWS);
                    break;
                case GRACE:
                    decision = BillingDecision.allow(status, operation, BillingDecision.Reason.GRACE_PERIOD);
                    break;
                case PAID:
                    decision = BillingDecision.allow(status, operation, BillingDecision.Reason.PAID_PERIOD);
                    break;
                default:
                    decision = BillingDecision.deny(status, operation, messages[status.ordinal()]);
                    break;
            }
            slots[kind] = decision; // benign race: decisions are immutable and equal
        }
        return decision;
    }

    /**
     * The denial message for a status.
     *
     * @param status the status
     * @return the message, such as "Payment overdue. Please update your payment method."
     */
    public String message(BillingStatus status) {
        return messages[Objects.requireNonNull(status, "status").ordinal()];
    }

    @Override
    public String toString() {
        return description;
    }

    private static Map<BillingStatus, String> defaultMessages() {
        Map<BillingStatus, String> m = new EnumMap<>(BillingStatus.class);
        m.put(BillingStatus.TRIALING, "Your trial does not include this operation.");
        m.put(BillingStatus.ACTIVE, "Your plan does not include this operation.");
        m.put(BillingStatus.INCOMPLETE, "Payment incomplete. Please complete your payment.");
        m.put(BillingStatus.INCOMPLETE_EXPIRED, "Subscription setup expired. Please subscribe again.");
        m.put(BillingStatus.PAST_DUE, "Payment overdue. Please update your payment method.");
        m.put(BillingStatus.UNPAID, "Payment failed. Please update your payment method.");
        m.put(BillingStatus.CANCELED, "Subscription canceled. Please resubscribe.");
        m.put(BillingStatus.PAUSED, "Subscription paused. Please resume your subscription.");
        m.put(BillingStatus.NONE, "No active subscription. Please subscribe.");
        return m;
    }

    /** Configures a {@link GatingPolicy}, starting from the defaults. */
    public static final class Builder {
        private final Map<BillingStatus, TreeMap<Long, Access>> ladders = new EnumMap<>(BillingStatus.class);
        private final Map<BillingStatus, Duration> graces = new EnumMap<>(BillingStatus.class);
        private final Map<BillingStatus, Map<OperationClass, Boolean>> explicit = new EnumMap<>(BillingStatus.class);
        private final Set<OperationClass> readLike = new HashSet<>();
        private Set<BillingStatus> keepUntilPeriodEnd = EnumSet.of(BillingStatus.CANCELED, BillingStatus.PAUSED);
        private final Map<BillingStatus, String> messages = new EnumMap<>(BillingStatus.class);
        private final List<String> problems = new ArrayList<>();

        private Builder() {
            for (BillingStatus status : BillingStatus.values()) {
                TreeMap<Long, Access> ladder = new TreeMap<>();
                boolean paying = status == BillingStatus.ACTIVE || status == BillingStatus.TRIALING;
                ladder.put(0L, paying ? Access.ALL : Access.READ_ONLY);
                ladders.put(status, ladder);
            }
        }

        /**
         * The access in a status from the moment the tenant enters it.
         *
         * @param status the status
         * @param level the access
         * @return this builder
         */
        public Builder access(BillingStatus status, Access level) {
            ladders.get(Objects.requireNonNull(status, "status")).put(0L, Objects.requireNonNull(level, "level"));
            return this;
        }

        /**
         * A rung of a time ladder: after {@code elapsed} in the status, the access becomes {@code level}.
         *
         * @param status the status
         * @param elapsed time spent in the status, positive
         * @param level the access from then on (until a later rung)
         * @return this builder
         */
        public Builder after(BillingStatus status, Duration elapsed, Access level) {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(level, "level");
            if (elapsed.isNegative() || elapsed.isZero()) {
                problems.add("after(" + status.wireName() + ", …) needs a positive duration, but was " + elapsed
                        + " (use access() for the start)");
            } else if (ladders.get(status).put(elapsed.toMillis(), level) != null) {
                problems.add("after(" + status.wireName() + ", " + elapsed + ", …) was given twice");
            }
            return this;
        }

        /**
         * A grace period: everything is allowed for {@code duration} after entering the status; then the
         * ladder applies.
         *
         * @param status the status, such as {@code past_due}
         * @param duration the grace period, positive
         * @return this builder
         */
        public Builder grace(BillingStatus status, Duration duration) {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                problems.add("grace(" + status.wireName() + ", …) needs a positive duration, but was " + duration);
            } else if (graces.put(status, duration) != null) {
                problems.add("grace(" + status.wireName() + ", …) was given twice");
            }
            return this;
        }

        /**
         * Always allows these operation classes in the status, whatever the ladder says.
         *
         * @param status the status
         * @param operations the classes
         * @return this builder
         */
        public Builder allow(BillingStatus status, OperationClass... operations) {
            return explicit(status, true, operations);
        }

        /**
         * Always denies these operation classes in the status (even during grace).
         *
         * @param status the status
         * @param operations the classes
         * @return this builder
         */
        public Builder deny(BillingStatus status, OperationClass... operations) {
            return explicit(status, false, operations);
        }

        private Builder explicit(BillingStatus status, boolean allow, OperationClass... operations) {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(operations, "operations");
            Map<OperationClass, Boolean> rules = explicit.computeIfAbsent(status, s -> new java.util.LinkedHashMap<>());
            for (OperationClass op : operations) {
                Objects.requireNonNull(op, "operation");
                Boolean before = rules.put(op, allow);
                if (before != null && before != allow) {
                    problems.add(op + " is both allowed and denied in " + status.wireName());
                }
            }
            return this;
        }

        /**
         * Gates these user-named classes as reads (allowed at {@link Access#READ_ONLY}); by default
         * user-named classes are gated as writes.
         *
         * @param operations the classes
         * @return this builder
         */
        public Builder treatAsRead(OperationClass... operations) {
            Objects.requireNonNull(operations, "operations");
            for (OperationClass op : operations) {
                Objects.requireNonNull(op, "operation");
                if (op == OperationClass.WRITE || op == OperationClass.PURCHASE) {
                    problems.add(op + " cannot be treated as a read");
                } else {
                    readLike.add(op);
                }
            }
            return this;
        }

        /**
         * The statuses whose access lasts until {@link TenantBilling#currentPeriodEnd()} (default:
         * canceled and paused). Replaces the set.
         *
         * @param statuses the statuses, none to switch it off
         * @return this builder
         */
        public Builder keepAccessUntilPeriodEnd(BillingStatus... statuses) {
            Objects.requireNonNull(statuses, "statuses");
            Set<BillingStatus> set = EnumSet.noneOf(BillingStatus.class);
            for (BillingStatus status : statuses) {
                set.add(Objects.requireNonNull(status, "status"));
            }
            keepUntilPeriodEnd = set;
            return this;
        }

        /**
         * The user-facing message of a denial in the status.
         *
         * @param status the status
         * @param message the message, not blank
         * @return this builder
         */
        public Builder message(BillingStatus status, String message) {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
            if (message.isBlank()) {
                problems.add("the message for " + status.wireName() + " must not be blank");
            } else {
                messages.put(status, message);
            }
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws BillingException with {@link BillingException.Reason#INVALID_CONFIGURATION} naming every problem
         */
        public GatingPolicy build() {
            List<String> all = new ArrayList<>(problems);
            graces.forEach((status, grace) -> ladders.get(status).keySet().stream()
                    .filter(offset -> offset > 0 && offset < grace.toMillis())
                    .forEach(offset -> all.add("the " + status.wireName() + " ladder rung at "
                            + Duration.ofMillis(offset) + " falls inside its grace period of " + grace)));
            if (!all.isEmpty()) {
                throw new BillingException(BillingException.Reason.INVALID_CONFIGURATION,
                        "invalid GatingPolicy: " + String.join("; ", all));
            }
            return new GatingPolicy(this);
        }
    }
}
