package dev.tollgate.health.contributors;

import dev.tollgate.health.Health;
import dev.tollgate.health.HealthCheckOptions;
import dev.tollgate.health.HealthContributor;
import dev.tollgate.health.Status;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The purchases kill switch: when {@code TOLLGATE_PURCHASES_ENABLED} (or {@code PURCHASES_ENABLED}) is
 * {@code false}, purchases are {@link Status#OUT_OF_SERVICE} while the rest of the service stays up.
 * Register it with {@link #OPTIONS} (not critical), so switching purchases off never makes the
 * application unhealthy or unready; purchase code asks {@link #enabled()}.
 *
 * <pre>{@code
 * PurchasesKillSwitch purchases = PurchasesKillSwitch.fromEnvironment();
 * registry.register("purchases", purchases, PurchasesKillSwitch.OPTIONS);
 * if (!purchases.enabled()) { return 503; }
 * }</pre>
 *
 * <p>Unset means enabled. A value other than true/false/1/0/yes/no/on/off is reported
 * {@link Status#DOWN} and counts as disabled: an operator who tried to switch purchases off must not be
 * ignored because of a typo.
 */
public final class PurchasesKillSwitch implements HealthContributor {

    /** The environment variables read, preferred first. */
    public static final List<String> VARIABLES = List.of("TOLLGATE_PURCHASES_ENABLED", "PURCHASES_ENABLED");
    /** The options to register the switch with: default timeout, not critical. */
    public static final HealthCheckOptions OPTIONS = HealthCheckOptions.defaults().withCritical(false);

    private final Supplier<@Nullable String> value;

    private PurchasesKillSwitch(Supplier<@Nullable String> value) {
        this.value = value;
    }

    /**
     * A switch reading {@link System#getenv()}.
     *
     * @return the switch
     */
    public static PurchasesKillSwitch fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * A switch reading a variable map.
     *
     * @param environment variable name → value
     * @return the switch
     */
    public static PurchasesKillSwitch fromEnvironment(Map<String, String> environment) {
        Map<String, String> env = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        return new PurchasesKillSwitch(() -> {
            for (String name : VARIABLES) {
                String v = env.get(name);
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
            return null;
        });
    }

    /**
     * A switch reading a live flag (a feature-flag client, a database setting) at each call.
     *
     * @param value returns {@code "true"}/{@code "false"} (or {@code null} for enabled)
     * @return the switch
     */
    public static PurchasesKillSwitch of(Supplier<@Nullable String> value) {
        return new PurchasesKillSwitch(Objects.requireNonNull(value, "value"));
    }

    /**
     * Whether purchases may proceed.
     *
     * @return {@code true} when the switch is unset or true
     */
    public boolean enabled() {
        return parse(value.get()) == Boolean.TRUE;
    }

    /** Reports the switch. */
    @Override
    public Health check() {
        String raw = value.get();
        Boolean on = parse(raw);
        if (on == null) {
            return Health.down(VARIABLES.get(0) + " has an unreadable value: purchases are treated as disabled;"
                    + " use true or false");
        }
        return on ? Health.up().withDetail("purchases", "enabled")
                : Health.outOfService("purchases are switched off by " + VARIABLES.get(0) + "=false")
                        .withDetail("purchases", "disabled");
    }

    private static @Nullable Boolean parse(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return Boolean.TRUE;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Boolean.TRUE;
            case "false", "0", "no", "off" -> Boolean.FALSE;
            default -> null;
        };
    }
}
