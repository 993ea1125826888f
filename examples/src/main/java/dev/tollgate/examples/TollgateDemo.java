package dev.tollgate.examples;

import dev.tollgate.health.config.ConfigurationException;
import dev.tollgate.health.preflight.PreflightCommand;
import dev.tollgate.testkit.Trigger;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The demo service's command line: {@code java -jar tollgate-demo.jar [serve] [--port N] [--jdbc-url URL]
 * [--async]}.
 *
 * <p>Without options it starts an embedded PostgreSQL in a temporary directory, applies every Tollgate
 * migration, seeds sample legal documents and a consent policy, generates development webhook secrets
 * (printed once) and serves on {@code http://127.0.0.1:8080}:
 * <pre>
 * POST /api/billing/webhook, /webhooks/stripe     Stripe webhooks (Stripe-Signature)
 * POST /webhooks/revenuecat                       RevenueCat webhooks (Authorization)
 * POST /api/v1/solver/solve                       a gated write (tenant in X-Tenant-Id): 402 when unpaid
 * GET  /api/v1/solver/jobs                        a gated read
 * GET  /api/entitlements/snapshot?user_id=…       what a tenant may use now
 * GET  /health, /health/ready, /health/live       probes
 * GET  /legal/terms, /legal/privacy, /legal/imprint   public HTML pages
 * POST /api/legal/accept, GET /api/legal/status?user_id=…
 * POST /api/consent, GET /api/consent?subject_id=…, GET /api/consent/policy
 * GET  /metrics                                   Prometheus text format
 * </pre>
 * <p>{@code java -jar tollgate-demo.jar trigger <event-type> --url URL [--times N | --concurrent N]} sends
 * signed test events (the testkit's {@link Trigger}); {@code trigger --help} lists its options.
 * {@code java -jar tollgate-demo.jar preflight --jdbc-url URL} runs the Go/No-Go preflight
 * ({@link PreflightCommand}); exit code 0 is Go. {@code java -jar tollgate-demo.jar evidence verify …} checks the
 * consent and legal chains against signed checkpoints ({@code evidence --help}). {@code events list|show|redrive|replay}
 * inspects webhook events, re-drives dead letters and replays processed events ({@link EventsCommand});
 * {@code events catch-up|resync} fetches missed Stripe events and RevenueCat subscribers ({@link EventsRecovery}).
 *
 * <p>Ctrl-C stops the server, the webhook worker, the billing listener, the pools and the embedded database.
 */
public final class TollgateDemo {

    /** Exit code: a bad command line. */
    public static final int USAGE_ERROR = 2;
    /** Exit code: the configuration or the start-up failed. */
    public static final int START_FAILED = 1;

    private TollgateDemo() {
    }

    /**
     * Runs the demo (or a subcommand) and exits when it ends.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Objects.requireNonNull(args, "args");
        if (args.length > 0 && !args[0].startsWith("--") && !args[0].equals("serve")) {
            System.exit(subcommand(args, System.getenv(), System.out, System.err));
            return;
        }
        DemoService service;
        try {
            service = start(args, System.getenv(), System.out, System.err);
        } catch (StartFailed e) {
            System.exit(e.exitCode);
            return;
        }
        if (service == null) {
            return; // --help
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "tollgate-demo-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A start that failed; the reason was printed. */
    static final class StartFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        StartFailed(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /**
     * Parses the serve options and starts the demo.
     *
     * @return the running demo, or {@code null} after printing the help
     */
    static @Nullable DemoService start(String[] args, Map<String, String> env,
                                                                PrintStream out, PrintStream err) throws StartFailed {
        List<String> options = Arrays.asList(args);
        if (!options.isEmpty() && options.get(0).equals("serve")) {
            options = options.subList(1, options.size());
        }
        if (options.contains("--help") || options.contains("-h")) {
            out.print(DemoSettings.USAGE);
            return null;
        }
        DemoSettings settings;
        try {
            settings = DemoSettings.parse(options, env, new SecureRandom());
        } catch (DemoSettings.UsageException e) {
            err.println("tollgate-demo: " + e.getMessage());
            err.println("run with --help for the options");
            throw new StartFailed(USAGE_ERROR);
        }
        try {
            return DemoService.start(settings, out);
        } catch (ConfigurationException e) {
            err.println("tollgate-demo: the configuration is not fit for production:");
            e.problems().forEach(p -> err.println("  - " + p.message()));
            throw new StartFailed(START_FAILED);
        } catch (RuntimeException e) {
            err.println("tollgate-demo: could not start: " + e.getMessage());
            throw new StartFailed(START_FAILED);
        }
    }

    /**
     * Runs a subcommand other than {@code serve}.
     *
     * @return the exit code
     */
    static int subcommand(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String name = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "trigger" -> {
                return Trigger.run(rest, env, out, err);
            }
            case "preflight" -> {
                return PreflightCommand.run(rest, env, out, err);
            }
            case "evidence" -> {
                return EvidenceCommand.run(rest, env, out, err);
            }
            case "events" -> {
                return EventsCommand.run(rest, env, out, err, Clock.systemUTC());
            }
            default -> {
                err.println("tollgate-demo: unknown subcommand '" + (name.length() > 40 ? name.substring(0, 40) : name)
                        + "'");
                err.print(DemoSettings.USAGE);
                return USAGE_ERROR;
            }
        }
    }
}
