package dev.tollgate.health.preflight;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.health.config.ProductionConfigValidator;
import dev.tollgate.health.preflight.modules.ModulePreflightSteps;
import dev.tollgate.internal.SensitiveText;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The Go/No-Go preflight as a command line, for {@code java -jar … preflight --jdbc-url …}: runs configuration
 * validation, the database check, every verifier function (including {@code tollgate.verify_final_hardening()}),
 * a signed test webhook delivered twice, a gate check of a synthetic {@code past_due} tenant, the legal documents,
 * backup freshness and a Sentry test event, and prints the report. Exit code 0 is Go, 1 is No-Go, 2 a usage error.
 * Run against a restored backup it answers the runbook's "restore works" question.
 *
 * <p>The webhook and gate steps need {@code tollgate-webhooks} and {@code tollgate-billing-core} on the class
 * path, the Sentry step {@code tollgate-sentry} (which brings {@code io.sentry:sentry}); the demo jar has them all. The password is best given as
 * {@code TOLLGATE_DATABASE_PASSWORD} (a command-line argument is visible to other users of the machine); it
 * never appears in the output.
 */
public final class PreflightCommand {

    /** Exit code for invalid arguments. */
    public static final int EXIT_USAGE = 2;

    static final String USAGE = """
            usage: preflight --jdbc-url URL [--user U --password P] [--json] [--environment E]
                             [--backup-marker PATH --backup-max-age DURATION] [--sentry-dsn DSN]
                             [--sentry-release R]

            Runs Tollgate's Go/No-Go checks against a database and prints the report.
            Exit code: 0 Go, 1 No-Go (a step failed), 2 invalid arguments.

              --jdbc-url URL            jdbc:postgresql://host:5432/db (default: $TOLLGATE_DATABASE_URL)
              --user U                  database user (default: $TOLLGATE_DATABASE_USER)
              --password P              database password (default: $TOLLGATE_DATABASE_PASSWORD, preferred)
              --json                    print JSON instead of text
              --environment E           production, staging, … (default: $TOLLGATE_ENVIRONMENT)
              --backup-marker PATH      file the backup job touches on success
              --backup-max-age DURATION oldest acceptable backup: 26h, 90m, 2d, 3600s or ISO-8601 PT26H
                                        (default 26h)
              --sentry-dsn DSN          send a test event to Sentry (default: $TOLLGATE_SENTRY_DSN)
              --sentry-release R        the release errors are tagged with, required in production with a
                                        DSN (default: $TOLLGATE_SENTRY_RELEASE, $SENTRY_RELEASE)
              --connect-timeout DURATION how long to wait for a database connection (default 5s)
              --help                    this text
            """;

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private PreflightCommand() {
    }

    /**
     * Runs the preflight from a shell.
     *
     * @param args the arguments, see {@link #run}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the preflight.
     *
     * @param args the arguments ({@code --help} lists them)
     * @param env the environment variables ({@code TOLLGATE_DATABASE_URL}, {@code TOLLGATE_ENVIRONMENT}, …), also
     *            what configuration validation reads
     * @param out where the report (or the help text) goes
     * @param err where argument problems go
     * @return 0 on Go, 1 on No-Go, 2 on invalid arguments
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("preflight: " + SensitiveText.scrub(e.getMessage()));
            err.print(USAGE);
            return EXIT_USAGE;
        }
        if (options.help) {
            out.print(USAGE);
            return 0;
        }
        PreflightReport report = run(options, env);
        out.println(options.json ? report.toJson() : report.toText());
        out.flush();
        return report.exitCode();
    }

    private static PreflightReport run(Options options, Map<String, String> env) {
        Clock clock = Clock.systemUTC();
        Map<String, String> configuration = new HashMap<>(env);
        configuration.putIfAbsent("TOLLGATE_DATABASE_URL", Objects.requireNonNull(options.jdbcUrl));
        if (options.environment != null) {
            configuration.put("TOLLGATE_ENVIRONMENT", options.environment);
        }
        if (options.sentryDsn != null) {
            configuration.putIfAbsent("TOLLGATE_SENTRY_DSN", options.sentryDsn);
        }
        if (options.sentryRelease != null) {
            configuration.put("TOLLGATE_SENTRY_RELEASE", options.sentryRelease);
            configuration.remove("SENTRY_RELEASE"); // the option wins over the plain variable, without a conflict
        }
        String environment = configuration.getOrDefault("TOLLGATE_ENVIRONMENT", "production");
        try (HikariDataSource dataSource = new HikariDataSource(poolConfig(options))) {
            String unreachable = probe(dataSource);
            Preflight.Builder preflight = Preflight.builder().stepTimeout(STEP_TIMEOUT).clock(clock)
                    .step("configuration", PreflightSteps.configuration(
                            ProductionConfigValidator.builder().environment(configuration).build()))
                    .step("database", unreachable == null ? PreflightSteps.database(dataSource)
                            : () -> PreflightOutcome.fail("cannot connect: " + unreachable));
            for (String function : PreflightSteps.VERIFIER_FUNCTIONS) {
                preflight.step(function, needsDatabase(unreachable, PreflightSteps.verifier(dataSource, function)));
            }
            preflight.step("webhook-round-trip",
                            needsDatabase(unreachable, ModulePreflightSteps.signedWebhookRoundTrip(dataSource, clock)))
                    .step("gate-past-due-402",
                            needsDatabase(unreachable, ModulePreflightSteps.gateBlocksPastDue(dataSource, clock)))
                    .step("legal-documents",
                            needsDatabase(unreachable, PreflightSteps.legalDocuments(dataSource, clock)));
            if (options.backupMarker != null) {
                preflight.step("backup-freshness",
                        PreflightSteps.backupFreshness(options.backupMarker, options.backupMaxAge, clock));
            } else {
                preflight.step("backup-freshness", () -> PreflightOutcome.warn(
                        "not checked: give --backup-marker PATH (the file the backup job touches) and --backup-max-age"));
            }
            if (options.sentryDsn != null) {
                preflight.step("sentry-test-event", sentryTestEvent(options.sentryDsn, environment,
                        Duration.ofSeconds(10)));
            } else {
                preflight.step("sentry-test-event", () -> PreflightOutcome.warn(
                        "not checked: give --sentry-dsn or TOLLGATE_SENTRY_DSN"));
            }
            return preflight.build().run();
        }
    }

    /** Tries one connection: null when the database answers, else why not (each later step would wait as long). */
    private static @Nullable String probe(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return null;
        } catch (SQLException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return SensitiveText.scrub(message);
        }
    }

    private static PreflightCheck needsDatabase(@Nullable String unreachable, PreflightCheck check) {
        return unreachable == null ? check : () -> PreflightOutcome.fail("not run: the database is unreachable");
    }

    private static HikariConfig poolConfig(Options options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tollgate-preflight");
        config.setJdbcUrl(options.jdbcUrl);
        if (options.user != null) {
            config.setUsername(options.user);
        }
        if (options.password != null) {
            config.setPassword(options.password);
        }
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(options.connectTimeout.toMillis());
        config.setInitializationFailTimeout(-1); // an unreachable database is a FAIL step, not a crash
        return config;
    }

    /** Parsed arguments. */
    private static final class Options {
        boolean help;
        boolean json;
        @Nullable String jdbcUrl;
        @Nullable String user;
        @Nullable String password;
        @Nullable String environment;
        @Nullable Path backupMarker;
        Duration backupMaxAge = Duration.ofHours(26);
        Duration connectTimeout = Duration.ofSeconds(5);
        @Nullable String sentryDsn;
        @Nullable String sentryRelease;

        static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            List<String> problems = new ArrayList<>();
            boolean maxAgeGiven = false;
            for (int i = 0; i < args.length; i++) {
                String arg = Objects.requireNonNullElse(args[i], "");
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--json" -> o.json = true;
                    case "--jdbc-url", "--user", "--password", "--environment", "--backup-marker", "--backup-max-age",
                         "--sentry-dsn", "--sentry-release", "--connect-timeout" -> {
                        if (i + 1 >= args.length || args[i + 1] == null || args[i + 1].startsWith("--")) {
                            problems.add(arg + " needs a value");
                            continue;
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--jdbc-url" -> o.jdbcUrl = value;
                            case "--user" -> o.user = value;
                            case "--password" -> o.password = value;
                            case "--environment" -> o.environment = value;
                            case "--backup-marker" -> o.backupMarker = Path.of(value);
                            case "--backup-max-age" -> {
                                maxAgeGiven = true;
                                try {
                                    o.backupMaxAge = duration(arg, value);
                                } catch (IllegalArgumentException e) {
                                    problems.add(e.getMessage());
                                }
                            }
                            case "--connect-timeout" -> {
                                try {
                                    o.connectTimeout = duration(arg, value);
                                } catch (IllegalArgumentException e) {
                                    problems.add(e.getMessage());
                                }
                                if (o.connectTimeout.toMillis() < 250) {
                                    problems.add("--connect-timeout must be at least 250 ms, but was " + value);
                                }
                            }
                            case "--sentry-release" -> o.sentryRelease = value;
                            default -> o.sentryDsn = value;
                        }
                    }
                    default -> problems.add("unknown argument '" + (arg.length() > 40 ? arg.substring(0, 40) + "…" : arg)
                            + "'");
                }
            }
            if (o.help) {
                return o;
            }
            o.jdbcUrl = o.jdbcUrl != null ? o.jdbcUrl : blankToNull(env.get("TOLLGATE_DATABASE_URL"));
            o.user = o.user != null ? o.user : blankToNull(env.get("TOLLGATE_DATABASE_USER"));
            o.password = o.password != null ? o.password : blankToNull(env.get("TOLLGATE_DATABASE_PASSWORD"));
            o.sentryDsn = o.sentryDsn != null ? o.sentryDsn : blankToNull(env.get("TOLLGATE_SENTRY_DSN"));
            if (o.jdbcUrl == null) {
                problems.add("no database: give --jdbc-url or set TOLLGATE_DATABASE_URL");
            } else if (!o.jdbcUrl.startsWith("jdbc:postgresql://")) {
                problems.add("the database URL must start with jdbc:postgresql:// (for example "
                        + "jdbc:postgresql://db.internal:5432/app)");
            }
            if (maxAgeGiven && o.backupMarker == null) {
                problems.add("--backup-max-age needs --backup-marker");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return o;
        }

        private static @Nullable String blankToNull(@Nullable String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        static Duration duration(String option, String text) {
            Matcher m = SIMPLE_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
            Duration d;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                try {
                    d = Duration.parse(text.strip());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(option + " '" + (text.length() > 20 ? text.substring(0, 20)
                            + "…" : text) + "' is not a duration such as 26h, 90m, 2d or PT26H");
                }
            }
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(option + " must be positive, but was " + text);
            }
            return d;
        }
    }

    /**
     * {@code dev.tollgate.health.sentry.SentryTestEvent.check(dsn, environment, timeout)}, looked up at run time:
     * it lives in {@code tollgate-sentry}, which depends on this module, so health cannot compile against it.
     */
    private static PreflightCheck sentryTestEvent(String dsn, String environment, Duration timeout) {
        Class<?> type;
        try {
            type = Class.forName(SENTRY_TEST_EVENT, true, PreflightCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return () -> PreflightOutcome.fail("needs dev.tollgate:tollgate-sentry on the class path");
        }
        try {
            return (PreflightCheck) type.getMethod("check", String.class, String.class, Duration.class)
                    .invoke(null, dsn, environment, timeout);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(SENTRY_TEST_EVENT + ".check(String, String, Duration) not found", e);
        }
    }

    private static final String SENTRY_TEST_EVENT = "dev.tollgate.health.sentry.SentryTestEvent";
}
