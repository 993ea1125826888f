package dev.tollgate.testkit;

import dev.tollgate.Secret;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The offline {@code stripe trigger}: sends a signed event of a named type to a URL and prints each response.
 *
 * <pre>
 * java -cp "tollgate-testkit.jar:…" dev.tollgate.testkit.Trigger invoice.paid \
 *     --url http://127.0.0.1:8080/webhooks/stripe --secret whsec_… --times 3
 * </pre>
 *
 * <p>Run {@code --help} for the options. Secrets come from {@code --secret} or the environment and are only
 * ever printed masked. Exit code 0 when every response came and none was 5xx, 1 when one was 5xx or no response
 * came, 2 on a usage error.
 */
public final class Trigger {

    /** Exit code when every delivery was answered without a 5xx. */
    public static final int OK = 0;
    /** Exit code when a response was 5xx or a delivery got no response. */
    public static final int SERVER_ERROR = 1;
    /** Exit code for a usage error. */
    public static final int USAGE_ERROR = 2;

    private static final String USAGE = """
            usage: trigger <event-type> --url URL [options]

            Sends a signed webhook event to URL, like `stripe trigger`, but offline.

            event types:
              Stripe:     %s
              RevenueCat: %s
              Standard Webhooks: any type (with --provider standard)

            options:
              --url URL              the endpoint, e.g. http://127.0.0.1:8080/webhooks/stripe (required)
              --secret S             the signing secret; else from the environment:
                                       stripe:     TOLLGATE_STRIPE_WEBHOOK_SECRET or STRIPE_WEBHOOK_SECRET
                                       revenuecat: TOLLGATE_REVENUECAT_WEBHOOK_SECRET or REVENUECAT_WEBHOOK_SECRET
                                       standard:   TOLLGATE_STANDARD_WEBHOOKS_SECRET (whsec_<base64>)
              --provider P           stripe, revenuecat or standard (default: from the event type)
              --times N              send the same event N times, one after the other (default 1)
              --concurrent N         send the same event N times at once
              --tenant T             tenant id (Stripe metadata.tenant_id; RevenueCat app_user_id)
              --customer C           Stripe customer id (RevenueCat: app_user_id when --tenant is absent)
              --status S             subscription status of customer.subscription.* events
              --event-id ID          the event id (default random): reuse it to send a duplicate later
              --help                 print this help

            Prints each response as `<n> <status> <body>`, then a summary. Exit code 0 when no response was
            5xx, 1 when one was 5xx or a delivery got no response, 2 on a usage error.
            """;

    private Trigger() {
    }

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the command-line arguments
     * @param env the environment to read secrets from
     * @param out where responses and the summary go
     * @param err where usage errors go
     * @return the exit code: {@link #OK}, {@link #SERVER_ERROR} or {@link #USAGE_ERROR}
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("trigger: " + e.getMessage());
            err.println("run with --help for the options");
            return USAGE_ERROR;
        }
        if (options.help) {
            out.print(usage());
            return OK;
        }
        SignedDelivery delivery;
        Secret secret;
        try {
            secret = secret(options, env);
            delivery = signer(options, secret).sign(event(options));
        } catch (IllegalArgumentException e) {
            err.println("trigger: " + e.getMessage());
            return USAGE_ERROR;
        }
        int times = options.concurrent != null ? options.concurrent : options.times != null ? options.times : 1;
        out.println("sending " + delivery.provider() + " " + delivery.eventType() + " " + delivery.eventId() + " "
                + times + " time(s)" + (options.concurrent != null ? " concurrently" : "") + " to " + options.url
                + " (secret " + secret.masked() + ")");
        Replayer replayer = Replayer.toUrl(options.url);
        ReplayResult result = options.concurrent != null ? replayer.concurrently(delivery, times)
                : replayer.inSequence(delivery, times);
        int n = 0;
        for (ReplayAnswer answer : result.answers()) {
            out.println(++n + " " + answer);
        }
        Map<Integer, Integer> byStatus = new LinkedHashMap<>();
        result.answers().forEach(a -> byStatus.merge(a.httpStatus(), 1, Integer::sum));
        List<String> counts = new ArrayList<>();
        byStatus.forEach((status, count) -> counts.add((status == 0 ? "no response" : status.toString()) + " ×" + count));
        long serverErrors = result.answers().stream().filter(ReplayAnswer::isServerError).count();
        out.println("summary: " + times + " sent, " + String.join(", ", counts) + "; server errors: " + serverErrors);
        return serverErrors == 0 ? OK : SERVER_ERROR;
    }

    private static String usage() {
        return String.format(Locale.ROOT, USAGE, String.join(", ", StripeEventFixture.EVENT_TYPES),
                String.join(", ", RevenueCatEventFixture.EVENT_TYPES));
    }

    private static Secret secret(Options options, Map<String, String> env) {
        String value = options.secret;
        List<String> names = switch (options.provider) {
            case "stripe" -> List.of("TOLLGATE_STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET");
            case "revenuecat" -> List.of("TOLLGATE_REVENUECAT_WEBHOOK_SECRET", "REVENUECAT_WEBHOOK_SECRET");
            default -> List.of("TOLLGATE_STANDARD_WEBHOOKS_SECRET");
        };
        for (String name : names) {
            if (value == null || value.isBlank()) {
                value = env.get(name);
            }
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no " + options.provider + " secret: pass --secret or set "
                    + String.join(" or ", names));
        }
        return Secret.of(value);
    }

    private static WebhookSigner signer(Options options, Secret secret) {
        return switch (options.provider) {
            case "stripe" -> StripeSigner.of(secret, Clock.systemUTC());
            case "revenuecat" -> RevenueCatSigner.of(secret);
            default -> StandardWebhooksSigner.of(secret, Clock.systemUTC());
        };
    }

    private static EventPayload event(Options o) {
        switch (o.provider) {
            case "stripe" -> {
                StripeEventFixture fixture = StripeEventFixture.of(o.eventType);
                if (o.eventId != null) {
                    fixture.id(o.eventId);
                }
                if (o.customer != null) {
                    fixture.customer(o.customer);
                }
                if (o.tenant != null) {
                    fixture.tenant(o.tenant);
                }
                if (o.status != null) {
                    fixture.status(o.status);
                }
                return fixture.build();
            }
            case "revenuecat" -> {
                RevenueCatEventFixture fixture = RevenueCatEventFixture.of(o.eventType);
                if (o.status != null) {
                    throw new IllegalArgumentException("--status applies to Stripe customer.subscription.* events");
                }
                if (o.eventId != null) {
                    fixture.id(o.eventId);
                }
                String user = o.tenant != null ? o.tenant : o.customer;
                if (user != null) {
                    fixture.appUserId(user);
                    if (o.eventType.equals("TRANSFER")) {
                        fixture.transfer(List.of("user_old"), List.of(user));
                    }
                }
                return fixture.build();
            }
            default -> {
                StandardWebhooksEventFixture fixture = StandardWebhooksEventFixture.of(o.eventType);
                if (o.eventId != null) {
                    fixture.id(o.eventId);
                }
                if (o.tenant != null) {
                    fixture.data("tenant_id", o.tenant);
                }
                if (o.customer != null) {
                    fixture.data("customer", o.customer);
                }
                if (o.status != null) {
                    fixture.data("status", o.status);
                }
                return fixture.build();
            }
        }
    }

    /** The parsed command line. */
    private static final class Options {
        boolean help;
        @Nullable String eventType;
        URI url = URI.create("http://127.0.0.1/");
        @Nullable String secret;
        String provider = "stripe";
        @Nullable Integer times;
        @Nullable Integer concurrent;
        @Nullable String tenant;
        @Nullable String customer;
        @Nullable String status;
        @Nullable String eventId;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> problems = new ArrayList<>();
            @Nullable String url = null;
            @Nullable String provider = null;
            for (int i = 0; i < args.length; i++) {
                String arg = Objects.requireNonNull(args[i], "argument");
                if (arg.equals("--help") || arg.equals("-h")) {
                    o.help = true;
                    return o;
                }
                if (!arg.startsWith("--")) {
                    if (o.eventType == null) {
                        o.eventType = arg;
                    } else {
                        problems.add("only one event type may be given (a second argument was found at position "
                                + (i + 1) + ")");
                    }
                    continue;
                }
                String name = arg;
                @Nullable String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    value = args[++i];
                }
                if (!List.of("--url", "--secret", "--provider", "--times", "--concurrent", "--tenant", "--customer",
                        "--status", "--event-id").contains(name)) {
                    problems.add("unknown option " + name);
                    continue;
                }
                if (value == null || value.isEmpty()) {
                    problems.add(name + " needs a value");
                    continue;
                }
                switch (name) {
                    case "--url" -> url = value;
                    case "--secret" -> o.secret = value;
                    case "--provider" -> provider = value;
                    case "--times" -> o.times = count(name, value, problems);
                    case "--concurrent" -> o.concurrent = count(name, value, problems);
                    case "--tenant" -> o.tenant = value;
                    case "--customer" -> o.customer = value;
                    case "--status" -> o.status = value;
                    default -> o.eventId = value;
                }
            }
            if (o.eventType == null) {
                problems.add("no event type given (such as invoice.paid)");
            }
            if (url == null) {
                problems.add("--url is required");
            } else {
                try {
                    o.url = new URI(url);
                    if (!"http".equalsIgnoreCase(o.url.getScheme()) && !"https".equalsIgnoreCase(o.url.getScheme())
                            || o.url.getHost() == null) {
                        problems.add("--url must be an http(s) URL with a host, but was " + url);
                    }
                } catch (URISyntaxException e) {
                    problems.add("--url is not a URL: " + url);
                }
            }
            if (o.times != null && o.concurrent != null) {
                problems.add("use --times or --concurrent, not both");
            }
            if (provider != null) {
                if (!List.of("stripe", "revenuecat", "standard").contains(provider)) {
                    problems.add("--provider must be stripe, revenuecat or standard, but was " + provider);
                } else {
                    o.provider = provider;
                }
            } else if (o.eventType != null && RevenueCatEventFixture.EVENT_TYPES.contains(o.eventType)) {
                o.provider = "revenuecat";
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return o;
        }

        private static @Nullable Integer count(String name, String value, List<String> problems) {
            try {
                int n = Integer.parseInt(value);
                if (n < 1 || n > 10_000) {
                    problems.add(name + " must be 1 to 10000, but was " + n);
                    return null;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a number, but was " + value);
                return null;
            }
        }
    }
}
