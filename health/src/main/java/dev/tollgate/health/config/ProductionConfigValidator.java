package dev.tollgate.health.config;

import dev.tollgate.Secret;
import dev.tollgate.health.StartupMarker;
import dev.tollgate.health.config.ConfigProblem.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the environment a service starts in and reports every problem at once: missing secrets, Stripe
 * test keys in production, billing enforcement {@code off} in production, a development switch on in
 * production, a malformed Sentry DSN or database URL, conflicting {@code TOLLGATE_} and plain names.
 * Values appear only masked ({@code whsec_…abcd}).
 *
 * <pre>{@code
 * ProductionConfigValidator.builder().build().validateOrThrow(); // at start-up
 * }</pre>
 *
 * <p>Each {@link ConfigSetting} is read from its {@code TOLLGATE_} variable, else from the plain names
 * the runbooks use ({@code STRIPE_WEBHOOK_SECRET}, {@code DATABASE_URL}, {@code SENTRY_DSN}, …). In
 * production, {@link ConfigSetting#STRIPE_WEBHOOK_SECRET}, {@link ConfigSetting#STRIPE_API_KEY},
 * {@link ConfigSetting#DATABASE_URL} and {@link ConfigSetting#SENTRY_DSN} are required unless
 * {@linkplain Builder#optional(ConfigSetting...) made optional}, and {@link ConfigSetting#SENTRY_RELEASE} when a DSN
 * is set; a traces sample rate, when set, must be a number from 0 to 1. Immutable and thread-safe.
 */
public final class ProductionConfigValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ProductionConfigValidator.class);
    private static final Set<String> PRODUCTION = Set.of("production", "prod");
    private static final Set<String> ENVIRONMENTS =
            Set.of("production", "prod", "staging", "stage", "preview", "development", "dev", "test", "local", "ci");
    private static final Set<String> ENFORCEMENT = Set.of("on", "off", "report-only");
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "off");
    private static final Pattern STRIPE_KEY = Pattern.compile("(sk|rk)_(live|test)_[A-Za-z0-9]{10,}");
    private static final Pattern WEBHOOK_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=]{16,}");
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://[^/?#\\s]+(:\\d{1,5})?/[^?#\\s/]+(\\?\\S*)?");
    private static final int MIN_SHARED_SECRET = 16;

    private final Map<String, String> environment;
    private final Set<ConfigSetting> required;

    private ProductionConfigValidator(Map<String, String> environment, Set<ConfigSetting> required) {
        this.environment = environment;
        this.required = required;
    }

    /**
     * Starts building a validator that reads {@link System#getenv()}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks everything and returns every problem; never throws for a bad configuration.
     *
     * @return the report
     */
    public ConfigReport validate() {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<ConfigSetting, String> values = new EnumMap<>(ConfigSetting.class);
        for (ConfigSetting setting : ConfigSetting.values()) {
            String value = read(setting, problems);
            if (value != null) {
                values.put(setting, value);
            }
        }
        String env = values.getOrDefault(ConfigSetting.ENVIRONMENT, "development").toLowerCase(Locale.ROOT);
        boolean production = PRODUCTION.contains(env);
        if (!ENVIRONMENTS.contains(env)) {
            problems.add(new ConfigProblem(ConfigSetting.ENVIRONMENT, Reason.INVALID_VALUE,
                    name(ConfigSetting.ENVIRONMENT) + " is '" + shortToken(env) + "': use one of production, staging,"
                            + " development, test"));
        }
        if (production) {
            for (ConfigSetting setting : required) {
                if (setting == ConfigSetting.SENTRY_RELEASE && !values.containsKey(ConfigSetting.SENTRY_DSN)) {
                    continue; // without Sentry there is nothing to tag
                }
                if (!values.containsKey(setting)) {
                    problems.add(new ConfigProblem(setting, Reason.MISSING, setting.variable()
                            + " is not set (also read from " + String.join(", ", setting.variables().subList(1,
                            setting.variables().size())) + "): " + hint(setting)));
                }
            }
        }
        checkStripeKey(values.get(ConfigSetting.STRIPE_API_KEY), production, problems);
        checkWebhookSecret(values.get(ConfigSetting.STRIPE_WEBHOOK_SECRET), problems);
        checkSharedSecret(values.get(ConfigSetting.REVENUECAT_WEBHOOK_SECRET), problems);
        checkDatabaseUrl(values.get(ConfigSetting.DATABASE_URL), problems);
        checkDsn(values.get(ConfigSetting.SENTRY_DSN), problems);
        checkRelease(values.get(ConfigSetting.SENTRY_RELEASE), problems);
        checkSampleRate(values.get(ConfigSetting.SENTRY_TRACES_SAMPLE_RATE), problems);
        checkEnforcement(values.get(ConfigSetting.BILLING_ENFORCEMENT), production, problems);
        checkSwitch(ConfigSetting.DEV_MODE, values.get(ConfigSetting.DEV_MODE), problems, production);
        checkSwitch(ConfigSetting.PURCHASES_ENABLED, values.get(ConfigSetting.PURCHASES_ENABLED), problems, false);

        Map<ConfigSetting, String> shown = new LinkedHashMap<>();
        for (ConfigSetting setting : ConfigSetting.values()) {
            String value = values.get(setting);
            shown.put(setting, value == null ? "(not set)" : show(setting, value));
        }
        return new ConfigReport(env, production, problems, shown);
    }

    /**
     * Validates; in production a problem stops start-up with one {@link ConfigurationException} listing
     * them all; elsewhere each problem is logged as a warning. On success logs the start-up marker
     * {@code tollgate.config.validated environment=<env>}.
     *
     * @return the report (only without problems in production)
     * @throws ConfigurationException in production, when anything is wrong
     */
    public ConfigReport validateOrThrow() {
        ConfigReport report = validate();
        if (!report.ok()) {
            if (report.production()) {
                throw new ConfigurationException(report.environment(), report.problems());
            }
            report.problems().forEach(p -> LOG.warn("tollgate.config.problem reason={} {}", p.reason(), p.message()));
        }
        StartupMarker.of("config", "validated").with("environment", shortToken(report.environment()))
                .with("problems", Integer.toString(report.problems().size())).log();
        return report;
    }

    private @Nullable String read(ConfigSetting setting, List<ConfigProblem> problems) {
        String chosen = null;
        String chosenName = null;
        for (String variable : setting.variables()) {
            String value = environment.get(variable);
            if (value == null || value.isBlank()) {
                continue;
            }
            value = value.strip();
            if (chosen == null) {
                chosen = value;
                chosenName = variable;
            } else if (!chosen.equals(value)) {
                problems.add(new ConfigProblem(setting, Reason.CONFLICTING_VALUES, chosenName + " and " + variable
                        + " are both set, to different values (" + show(setting, chosen) + " and "
                        + show(setting, value) + "): keep only " + chosenName));
            }
        }
        return chosen;
    }

    private String name(ConfigSetting setting) {
        for (String variable : setting.variables()) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return variable;
            }
        }
        return setting.variable();
    }

    private void checkStripeKey(@Nullable String key, boolean production, List<ConfigProblem> problems) {
        if (key == null) {
            return;
        }
        String name = name(ConfigSetting.STRIPE_API_KEY);
        if (!STRIPE_KEY.matcher(key).matches()) {
            problems.add(new ConfigProblem(ConfigSetting.STRIPE_API_KEY, Reason.MALFORMED_SECRET, name + " ("
                    + Secret.mask(key) + ") is not a Stripe secret key: copy sk_live_… or rk_live_… from the"
                    + " Stripe dashboard (API keys)"));
        } else if (production && key.contains("_test_")) {
            problems.add(new ConfigProblem(ConfigSetting.STRIPE_API_KEY, Reason.TEST_KEY_IN_PRODUCTION, name + " ("
                    + Secret.mask(key) + ") is a test-mode key in production: use the live key (sk_live_…)"));
        } else if (!production && key.contains("_live_")) {
            problems.add(new ConfigProblem(ConfigSetting.STRIPE_API_KEY, Reason.LIVE_KEY_OUTSIDE_PRODUCTION, name
                    + " (" + Secret.mask(key) + ") is a live key outside production: use a test key (sk_test_…)"));
        }
    }

    private void checkWebhookSecret(@Nullable String secret, List<ConfigProblem> problems) {
        if (secret != null && !WEBHOOK_SECRET.matcher(secret).matches()) {
            problems.add(new ConfigProblem(ConfigSetting.STRIPE_WEBHOOK_SECRET, Reason.MALFORMED_SECRET,
                    name(ConfigSetting.STRIPE_WEBHOOK_SECRET) + " (" + Secret.mask(secret) + ") is not a Stripe"
                            + " webhook signing secret: copy whsec_… from the webhook endpoint's page"));
        }
    }

    private void checkSharedSecret(@Nullable String secret, List<ConfigProblem> problems) {
        if (secret != null && secret.length() < MIN_SHARED_SECRET) {
            problems.add(new ConfigProblem(ConfigSetting.REVENUECAT_WEBHOOK_SECRET, Reason.MALFORMED_SECRET,
                    name(ConfigSetting.REVENUECAT_WEBHOOK_SECRET) + " is shorter than " + MIN_SHARED_SECRET
                            + " characters: generate a long random value and set it in RevenueCat too"));
        }
    }

    private void checkDatabaseUrl(@Nullable String url, List<ConfigProblem> problems) {
        if (url == null) {
            return;
        }
        boolean ok;
        if (url.startsWith("jdbc:")) {
            ok = JDBC.matcher(url).matches();
        } else {
            ok = false;
            try {
                URI uri = new URI(url);
                ok = ("postgres".equals(uri.getScheme()) || "postgresql".equals(uri.getScheme()))
                        && uri.getHost() != null && uri.getPath() != null && uri.getPath().length() > 1;
            } catch (URISyntaxException e) {
                ok = false;
            }
        }
        if (!ok) {
            problems.add(new ConfigProblem(ConfigSetting.DATABASE_URL, Reason.MALFORMED_URL,
                    name(ConfigSetting.DATABASE_URL) + " (" + show(ConfigSetting.DATABASE_URL, url) + ") is not a"
                            + " PostgreSQL URL: use jdbc:postgresql://host:5432/database or"
                            + " postgres://user:password@host:5432/database"));
        }
    }

    private void checkDsn(@Nullable String dsn, List<ConfigProblem> problems) {
        if (dsn == null) {
            return;
        }
        boolean ok;
        try {
            URI uri = new URI(dsn);
            ok = ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getRawUserInfo() != null && !uri.getRawUserInfo().isBlank()
                    && uri.getHost() != null && uri.getPath() != null && uri.getPath().matches("(/[^/]+)*/\\d+");
        } catch (URISyntaxException e) {
            ok = false;
        }
        if (!ok) {
            problems.add(new ConfigProblem(ConfigSetting.SENTRY_DSN, Reason.MALFORMED_DSN,
                    name(ConfigSetting.SENTRY_DSN) + " (" + Secret.mask(dsn) + ") is not a Sentry DSN: copy"
                            + " https://<key>@<host>/<project id> from the project's Client Keys page"));
        }
    }

    private void checkEnforcement(@Nullable String mode, boolean production, List<ConfigProblem> problems) {
        if (mode == null) {
            return;
        }
        String m = mode.toLowerCase(Locale.ROOT).replace('_', '-');
        String name = name(ConfigSetting.BILLING_ENFORCEMENT);
        if (!ENFORCEMENT.contains(m)) {
            problems.add(new ConfigProblem(ConfigSetting.BILLING_ENFORCEMENT, Reason.INVALID_VALUE, name + " is '"
                    + shortToken(mode) + "': use on, off or report-only"));
        } else if (production && m.equals("off")) {
            problems.add(new ConfigProblem(ConfigSetting.BILLING_ENFORCEMENT, Reason.ENFORCEMENT_OFF_IN_PRODUCTION,
                    name + " is off in production, so unpaid tenants keep full access: use on (or report-only"
                            + " while rolling out)"));
        }
    }

    private void checkSwitch(ConfigSetting setting, @Nullable String value, List<ConfigProblem> problems,
                             boolean refuseTrue) {
        if (value == null) {
            return;
        }
        String v = value.toLowerCase(Locale.ROOT);
        String name = name(setting);
        if (!TRUE.contains(v) && !FALSE.contains(v)) {
            problems.add(new ConfigProblem(setting, Reason.INVALID_VALUE, name + " is '" + shortToken(value)
                    + "': use true or false"));
        } else if (refuseTrue && TRUE.contains(v)) {
            problems.add(new ConfigProblem(setting, Reason.DEV_MODE_IN_PRODUCTION, name
                    + " is on in production: unset it or set it to false"));
        }
    }

    private static String hint(ConfigSetting setting) {
        return switch (setting) {
            case STRIPE_WEBHOOK_SECRET -> "set it to the endpoint's signing secret (whsec_…) from the Stripe dashboard";
            case REVENUECAT_WEBHOOK_SECRET -> "set it to the Authorization value configured in RevenueCat";
            case STRIPE_API_KEY -> "set it to the live secret key (sk_live_… or rk_live_…)";
            case DATABASE_URL -> "set it to jdbc:postgresql://host:5432/database";
            case SENTRY_DSN -> "set it to the project's DSN so production errors are seen";
            case SENTRY_RELEASE -> "set it to the version or git SHA, so errors and traces carry a release tag";
            default -> "set it";
        };
    }

    private void checkRelease(@Nullable String release, List<ConfigProblem> problems) {
        if (release != null && (release.length() > 200 || release.indexOf('\n') >= 0 || release.indexOf('\r') >= 0)) {
            problems.add(new ConfigProblem(ConfigSetting.SENTRY_RELEASE, Reason.INVALID_VALUE,
                    name(ConfigSetting.SENTRY_RELEASE) + " must be one line of at most 200 characters"));
        }
    }

    private void checkSampleRate(@Nullable String rate, List<ConfigProblem> problems) {
        if (rate == null) {
            return;
        }
        double value;
        try {
            value = Double.parseDouble(rate.trim());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= 0 && value <= 1)) {
            problems.add(new ConfigProblem(ConfigSetting.SENTRY_TRACES_SAMPLE_RATE, Reason.INVALID_VALUE,
                    name(ConfigSetting.SENTRY_TRACES_SAMPLE_RATE) + " is '" + shortToken(rate)
                            + "': use a number from 0 to 1, such as 0.1"));
        }
    }

    /** A value as safe to show: masked when secret, the password removed from URLs. */
    private static String show(ConfigSetting setting, String value) {
        if (setting == ConfigSetting.DATABASE_URL) {
            return value.replaceAll("(://[^:/@\\s]*:)[^@\\s]*@", "$1****@")
                    .replaceAll("(?i)(password=)[^&\\s]*", "$1****");
        }
        return setting.secret() ? Secret.mask(value) : shortToken(value);
    }

    private static String shortToken(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "?");
        return cleaned.length() > 32 ? cleaned.substring(0, 32) + "…" : cleaned;
    }

    /** Configures a {@link ProductionConfigValidator}. */
    public static final class Builder {

        private Map<String, String> environment = System.getenv();
        private final EnumSet<ConfigSetting> required = EnumSet.of(ConfigSetting.STRIPE_WEBHOOK_SECRET,
                ConfigSetting.STRIPE_API_KEY, ConfigSetting.DATABASE_URL, ConfigSetting.SENTRY_DSN,
                ConfigSetting.SENTRY_RELEASE);

        private Builder() {
        }

        /**
         * The variables to read; default {@link System#getenv()}.
         *
         * @param environment variable name → value
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /**
         * Makes settings required in production (for example {@link ConfigSetting#REVENUECAT_WEBHOOK_SECRET}
         * when the service takes RevenueCat webhooks).
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder require(ConfigSetting... settings) {
            for (ConfigSetting s : settings) {
                required.add(Objects.requireNonNull(s, "setting"));
            }
            return this;
        }

        /**
         * Makes settings optional in production (they are still checked when set).
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder optional(ConfigSetting... settings) {
            for (ConfigSetting s : settings) {
                required.remove(Objects.requireNonNull(s, "setting"));
            }
            return this;
        }

        /**
         * @return the validator
         */
        public ProductionConfigValidator build() {
            return new ProductionConfigValidator(environment, EnumSet.copyOf(required));
        }
    }
}
