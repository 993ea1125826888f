package dev.tollgate.examples;

import dev.tollgate.Secret;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the demo runs, from the command line and the environment.
 *
 * @param host the address to bind
 * @param port the port (0 = any free port)
 * @param jdbcUrl the database, or {@code null} for an embedded PostgreSQL in a temporary directory
 * @param databaseUser the database user for {@code jdbcUrl}, or {@code null} (then from the URL)
 * @param databasePassword the database password, or {@code null}
 * @param async whether webhooks are acknowledged first and processed by a worker
 * @param stripeSecret the Stripe webhook signing secret
 * @param revenueCatSecret the RevenueCat webhook authorization value
 * @param generatedSecrets whether the secrets were generated (development mode) and must be shown once
 * @param environment the process environment (configuration validation, enforcement mode)
 * @param clock the clock every component reads
 */
record DemoSettings(String host, int port, @Nullable String jdbcUrl, @Nullable String databaseUser,
                    @Nullable Secret databasePassword, boolean async, Secret stripeSecret, Secret revenueCatSecret,
                    boolean generatedSecrets, Map<String, String> environment, Clock clock) {

    static final String USAGE = """
            usage: java -jar tollgate-demo.jar [serve] [options]
                   java -jar tollgate-demo.jar trigger <event-type> --url URL [options]   (send signed test events)
                   java -jar tollgate-demo.jar preflight --jdbc-url URL [options]        (the Go/No-Go report)
                   java -jar tollgate-demo.jar evidence keygen|checkpoint|verify|export  (signed checkpoints, proofs)
                   java -jar tollgate-demo.jar events list|show|redrive|replay        (inspect and re-run webhooks)
                   java -jar tollgate-demo.jar events catch-up|resync                 (recover missed events)

            serve options:
              --port N          port to listen on (default 8080; 0 = any free port, printed at start)
              --host H          address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
              --jdbc-url URL    PostgreSQL to use (also TOLLGATE_DATABASE_URL; user and password from
                                TOLLGATE_DATABASE_USER / TOLLGATE_DATABASE_PASSWORD or the URL);
                                default: an embedded PostgreSQL in a temporary directory
              --async           acknowledge webhooks at once and process them with a background worker
              --help            print this help

            environment:
              TOLLGATE_STRIPE_WEBHOOK_SECRET or STRIPE_WEBHOOK_SECRET           (generated in development)
              TOLLGATE_REVENUECAT_WEBHOOK_SECRET or REVENUECAT_WEBHOOK_SECRET   (generated in development)
              TOLLGATE_ENVIRONMENT=production   validates the whole configuration and refuses to start on a problem
              TOLLGATE_BILLING_ENFORCEMENT      on (default), off or report-only
            """;

    DemoSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(stripeSecret, "stripeSecret");
        Objects.requireNonNull(revenueCatSecret, "revenueCatSecret");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(clock, "clock");
    }

    /** Thrown for a bad command line; the message lists every problem. */
    static final class UsageException extends dev.tollgate.TollgateException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Reads the serve options and the environment.
     *
     * @param args the options after the optional {@code serve}
     * @param env the environment
     * @param random where development secrets come from
     * @return the settings
     * @throws UsageException naming every bad option
     */
    static DemoSettings parse(List<String> args, Map<String, String> env, SecureRandom random) {
        List<String> problems = new ArrayList<>();
        int port = 8080;
        String host = "127.0.0.1";
        String jdbcUrl = firstSet(env, "TOLLGATE_DATABASE_URL");
        boolean async = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--async" -> async = true;
                case "--port", "--host", "--jdbc-url" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        problems.add(arg + " needs a value");
                        continue;
                    }
                    String value = args.get(++i);
                    if (arg.equals("--port")) {
                        try {
                            port = Integer.parseInt(value);
                            if (port < 0 || port > 65_535) {
                                problems.add("--port must be between 0 and 65535, but was " + value);
                            }
                        } catch (NumberFormatException e) {
                            problems.add("--port must be a number, but was '" + shorten(value) + "'");
                        }
                    } else if (arg.equals("--host")) {
                        host = value;
                    } else {
                        jdbcUrl = value;
                    }
                }
                default -> problems.add("unknown option '" + shorten(arg) + "'");
            }
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            problems.add("the database URL must start with jdbc:postgresql: (for example "
                    + "jdbc:postgresql://localhost:5432/app)");
        }
        if (!problems.isEmpty()) {
            throw new UsageException(String.join("; ", problems));
        }
        String stripe = firstSet(env, "TOLLGATE_STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET");
        String revenueCat = firstSet(env, "TOLLGATE_REVENUECAT_WEBHOOK_SECRET", "REVENUECAT_WEBHOOK_SECRET");
        boolean generated = stripe == null || revenueCat == null;
        if (stripe == null) {
            stripe = "whsec_" + randomHex(random, 24);
        }
        if (revenueCat == null) {
            revenueCat = "rc_" + randomHex(random, 24);
        }
        String user = firstSet(env, "TOLLGATE_DATABASE_USER");
        String password = firstSet(env, "TOLLGATE_DATABASE_PASSWORD");
        return new DemoSettings(host, port, jdbcUrl, user, password == null ? null : Secret.of(password), async,
                Secret.of(stripe), Secret.of(revenueCat), generated, env, Clock.systemUTC());
    }

    /** Leaves out the secrets and the environment. */
    @Override
    public String toString() {
        return "DemoSettings[" + host + ":" + port + ", database " + (jdbcUrl == null ? "embedded" : "external")
                + (async ? ", async" : "") + ", stripe secret " + stripeSecret.masked() + "]";
    }

    private static @Nullable String firstSet(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static String randomHex(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
