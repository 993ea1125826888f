package dev.tollgate.examples;

import dev.tollgate.Secret;
import dev.tollgate.billing.ApplyResult;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingReconciler;
import dev.tollgate.billing.BillingWebhooks;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.billing.RevenueCatResync;
import dev.tollgate.webhooks.CatchUpException;
import dev.tollgate.webhooks.CatchUpResult;
import dev.tollgate.webhooks.EventFilter;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeCatchUp;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookEvents;
import dev.tollgate.webhooks.WebhookPipeline;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@code events catch-up} ({@link StripeCatchUp} into the demo's billing handlers) and {@code events resync revenuecat}
 * ({@link RevenueCatResync}): what to run after an outage, see the README's "Operating Tollgate".
 */
final class EventsRecovery {

    private static final int STOPPED = 1;
    private static final int USAGE_ERROR = 2;

    private EventsRecovery() {
    }

    static void validateCatchUp(Map<String, String> options, Set<String> flags) {
        if (options.containsKey("revenuecat-api-base") || flags.contains("dead-letters")) {
            throw new IllegalArgumentException("--revenuecat-api-base and --dead-letters are for resync only");
        }
        String since = options.get("since");
        if (since != null && !since.matches("[0-9]{1,9}[smhd]")) {
            try {
                Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since must be an ISO instant (2026-12-01T00:00:00Z) or an age"
                        + " (90s, 15m, 2h, 3d), but was '" + EventsCommand.abbreviate(since) + "'");
            }
        }
        uri("stripe-api-base", options.get("stripe-api-base"));
    }

    static int catchUp(DataSource ds, Map<String, String> options, Set<String> flags, Map<String, String> env,
                       PrintStream out, PrintStream err, Clock clock) {
        String key = firstSet(env, "TOLLGATE_STRIPE_API_KEY", "STRIPE_API_KEY", "STRIPE_SECRET_KEY");
        if (key == null) {
            throw new IllegalArgumentException("no Stripe API key: set TOLLGATE_STRIPE_API_KEY (a restricted key with"
                    + " Events read access)");
        }
        URI base = uri("stripe-api-base", options.getOrDefault("stripe-api-base",
                firstSet(env, "TOLLGATE_STRIPE_API_BASE")));
        // Fetched events are not signed: the verifier only names the provider and its format, so a throwaway
        // secret serves when the service's own is not at hand.
        String webhookSecret = firstSet(env, "TOLLGATE_STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET");
        WebhookPipeline pipeline = BillingWebhooks.register(WebhookPipeline.builder()
                        .verifier(StripeVerifier.builder().secret(webhookSecret != null ? webhookSecret
                                : "whsec_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16)))
                                .clock(clock).build())
                        .store(PostgresIdempotencyStore.create(ds, clock))
                        .clock(clock),
                BillingEventApplier.ofDefaults()).build();
        StripeCatchUp.Builder builder = StripeCatchUp.builder().apiKey(Secret.of(key)).pipeline(pipeline).clock(clock);
        if (base != null) {
            builder.apiBase(base);
        }
        StripeCatchUp catchUp = builder.build();
        String since = options.get("since");
        Instant from = since == null ? null : since.matches("[0-9]{1,9}[smhd]")
                ? clock.instant().minus(EventsCommand.age("since", since)) : Instant.parse(since);
        boolean dry = flags.contains("dry-run");
        boolean json = flags.contains("json");
        CatchUpResult result;
        try {
            result = from == null ? (dry ? catchUp.dryRun() : catchUp.catchUp())
                    : (dry ? catchUp.dryRun(from) : catchUp.catchUp(from));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage().replace("(since)", "--since"), e);
        } catch (CatchUpException e) {
            print(e.partial(), json, out);
            err.println("events: catch-up stopped (" + e.reason().name().toLowerCase(Locale.ROOT) + "): "
                    + e.getMessage());
            return STOPPED;
        }
        print(result, json, out);
        return 0;
    }

    private static void print(CatchUpResult r, boolean json, PrintStream out) {
        if (json) {
            List<String> items = new ArrayList<>();
            for (CatchUpResult.Item i : r.items()) {
                items.add("{\"id\":" + EventsCommand.str(i.eventId()) + ",\"type\":" + EventsCommand.str(i.type())
                        + ",\"created\":" + EventsCommand.str(i.created()) + ",\"action\":"
                        + EventsCommand.str(action(i.action())) + "}");
            }
            out.println("{\"provider\":" + EventsCommand.str(r.provider()) + ",\"dryRun\":" + r.dryRun()
                    + ",\"resumed\":" + r.resumed() + ",\"since\":" + EventsCommand.str(r.since()) + ",\"until\":"
                    + EventsCommand.str(r.until()) + ",\"listed\":" + r.listed() + ",\"applied\":" + r.applied()
                    + ",\"alreadyProcessed\":" + r.alreadyProcessed() + ",\"skippedUnhandledType\":"
                    + r.skippedUnhandledType() + ",\"pages\":" + r.pages() + ",\"rateLimitWaits\":" + r.rateLimitWaits()
                    + ",\"caughtUpUntil\":" + EventsCommand.str(r.cursor() == null ? null : r.cursor().caughtUpUntil())
                    + ",\"resumeAfter\":" + EventsCommand.str(r.cursor() == null ? null : r.cursor().resumeAfter())
                    + ",\"items\":[" + String.join(",", items) + "]}");
            return;
        }
        out.println("catch-up " + r.provider() + " " + r.since() + " to " + r.until() + (r.dryRun() ? " (dry run)" : "")
                + (r.resumed() ? " (continued)" : ""));
        out.println("ID\tTYPE\tCREATED\tACTION");
        for (CatchUpResult.Item i : r.items()) {
            out.println(i.eventId() + "\t" + i.type() + "\t" + i.created() + "\t" + action(i.action()));
        }
        out.println("listed " + r.listed() + ", " + (r.dryRun() ? "would apply " : "applied ") + r.applied()
                + ", already processed " + r.alreadyProcessed() + ", unhandled type " + r.skippedUnhandledType()
                + ", pages " + r.pages() + ", rate-limit waits " + r.rateLimitWaits());
    }

    private static String action(CatchUpResult.Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    static int resync(DataSource ds, WebhookEvents events, List<String> appUsers, Set<String> flags,
                      Map<String, String> options, Map<String, String> env, PrintStream out, PrintStream err,
                      Clock clock) {
        String key = firstSet(env, "TOLLGATE_REVENUECAT_API_KEY", "REVENUECAT_API_KEY");
        if (key == null) {
            throw new IllegalArgumentException("no RevenueCat API key: set TOLLGATE_REVENUECAT_API_KEY (a secret API"
                    + " key)");
        }
        BillingReconciler.Builder reconciler = BillingReconciler.builder().applier(BillingEventApplier.ofDefaults())
                .target(ds).repository(new PostgresBillingRepository(ds)).revenueCat(Secret.of(key)).clock(clock);
        URI base = uri("revenuecat-api-base", options.getOrDefault("revenuecat-api-base",
                firstSet(env, "TOLLGATE_REVENUECAT_API_BASE")));
        if (base != null) {
            reconciler.revenueCatApiBase(base);
        }
        RevenueCatResync resync = RevenueCatResync.of(reconciler.build(), events);
        List<String> users = flags.contains("dead-letters") ? resync.deadLetteredUsers(EventFilter.MAX_LIMIT)
                : appUsers;
        List<RevenueCatResync.Outcome> outcomes = resync.resync(users);
        boolean json = flags.contains("json");
        List<String> items = new ArrayList<>();
        if (!json) {
            out.println("APP USER\tTENANT\tOUTCOME\tDETAIL");
        }
        int failed = 0;
        for (RevenueCatResync.Outcome o : outcomes) {
            ApplyResult result = o.result();
            String outcome = result != null ? result.outcome().name().toLowerCase(Locale.ROOT)
                    : "failed_" + o.failure().reason().name().toLowerCase(Locale.ROOT);
            String detail = result != null ? result.detail() : o.failure().getMessage();
            failed += result == null ? 1 : 0;
            if (json) {
                items.add("{\"appUser\":" + EventsCommand.str(o.appUserId()) + ",\"tenant\":"
                        + EventsCommand.str(o.tenantId()) + ",\"outcome\":" + EventsCommand.str(outcome)
                        + ",\"detail\":" + EventsCommand.str(detail) + "}");
            } else {
                out.println(o.appUserId() + "\t" + o.tenantId() + "\t" + outcome + "\t" + detail);
            }
        }
        if (json) {
            out.println("[" + String.join(",\n ", items) + "]");
        }
        if (outcomes.isEmpty()) {
            err.println("events: no RevenueCat app user to re-sync");
        } else if (failed > 0) {
            err.println("events: " + failed + " of " + outcomes.size() + " re-syncs failed; run again for them");
        }
        return outcomes.isEmpty() || failed > 0 ? STOPPED : 0;
    }

    private static @Nullable URI uri(String option, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option + " must be an http(s) URL, but was '"
                + EventsCommand.abbreviate(value) + "'");
    }

    private static @Nullable String firstSet(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
